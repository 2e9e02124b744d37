import { createReadStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { pipeline, type Readable, Transform } from "node:stream";
import { createInflateRaw } from "node:zlib";
import yauzl, { type Entry, type ZipFile } from "yauzl";
import { InputError } from "../errors.js";
import { notTweetData } from "./not-tweet-data.js";
import type { ArchiveMember } from "./types.js";
import { isSmallMember, smallMember, WindowReader, ZipWindow } from "./zip-window.js";

/**
 * Bytes per read and per inflated chunk of every archive. At zlib's 16 KB or the streams'
 * 32 to 64 KB, the bookkeeping per chunk cost more CPU than the inflating itself. 256 KB
 * chunks cost less CPU still, but a sequential load then took 10% longer: its parsing and
 * the server's merge overlapped less.
 */
export const CHUNK_BYTES = 1 << 17;

/**
 * The archive opened for yauzl through a WindowReader (zip-window.ts); yauzl closes the
 * file when the ZipFile is closed.
 */
async function openZip(file: string): Promise<{ zip: ZipFile; window: ZipWindow }> {
  const refuse = (error: unknown) =>
    new InputError(file, `${file} is not a readable zip archive: ${(error as Error).message}`, {
      cause: error,
    });
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw refuse(error);
  }
  try {
    const size = (await handle.stat()).size;
    const window = new ZipWindow(handle, size);
    const reader = new WindowReader(file, handle, window);
    const zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.fromRandomAccessReader(
        reader,
        size,
        { lazyEntries: true, autoClose: false },
        (error, zip) =>
          error || !zip ? reject(error ?? new Error("unknown error")) : resolve(zip),
      ),
    );
    return { zip, window };
  } catch (error) {
    await handle.close().catch(() => {});
    throw refuse(error);
  }
}

function readEntries(file: string, zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on("entry", (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", (error: Error) =>
      reject(
        new InputError(file, `${file} is not a readable zip archive: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    zip.readEntry();
  });
}

/** A member's bytes as yauzl reads them. */
function openWithYauzl(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (error, stream) =>
      error || !stream ? reject(error ?? new Error("no stream")) : resolve(stream),
    ),
  );
}

/** Checks that a member inflates to the size its directory entry announces. */
function sizeCheck(file: string, entry: Entry): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      callback(
        bytes === entry.uncompressedSize
          ? null
          : new InputError(
              file,
              `${file} (member ${entry.fileName}) is corrupt: it inflates to ${bytes} bytes, not ${entry.uncompressedSize}`,
            ),
      );
    },
  });
}

/** Where a member's compressed bytes start in the file, from its local header. */
function fileDataStart(zip: ZipFile, entry: Entry): Promise<number> {
  return new Promise((resolve, reject) =>
    zip.readLocalFileHeader(entry, { minimal: true }, (error, header) =>
      error ? reject(error) : resolve(header.fileDataStart),
    ),
  );
}

/**
 * A member's bytes. Deflated members are read and inflated here rather than by yauzl, whose
 * reads are 16 KB and whose inflated chunks are zlib's 16 KB: with CHUNK_BYTES for both,
 * reading takes about half the CPU seconds. yauzl still reads the local header (with its
 * bounds check), and opens any other member (stored, or encrypted, which it refuses).
 */
async function openMember(
  file: string,
  zip: ZipFile,
  entry: Entry,
): Promise<NodeJS.ReadableStream> {
  if (entry.compressionMethod !== 8 || entry.isEncrypted() || entry.compressedSize === 0) {
    return openWithYauzl(zip, entry);
  }
  const start = await fileDataStart(zip, entry);
  const raw = createReadStream(file, {
    start,
    end: start + entry.compressedSize - 1,
    highWaterMark: CHUNK_BYTES,
  });
  return pipeline(
    raw,
    createInflateRaw({ chunkSize: CHUNK_BYTES }),
    sizeCheck(file, entry),
    () => {},
  );
}

async function* whole(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

/**
 * The members of a zip file in name order, each streamed (inflated) only when opened.
 * Only the central directory is read up front, so memory does not depend on the file size.
 * Members that are not tweet data (directories, macOS metadata) come with `skipped` set.
 */
export async function* zipMembers(file: string): AsyncGenerator<ArchiveMember> {
  const { zip, window } = await openZip(file);
  try {
    const entries = await readEntries(file, zip);
    entries.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    for (const entry of entries) {
      const name = entry.fileName;
      const skipped = notTweetData(name);
      yield {
        name,
        // Small members are read whole through the archive's window (zip-window.ts).
        open: isSmallMember(entry)
          ? async () => whole(await smallMember(file, window, entry))
          : () => openMember(file, zip, entry),
        ...(skipped === null ? {} : { skipped }),
        ...(name.toLowerCase().endsWith(".json") ? { mayBeArray: true } : {}),
      };
    }
  } finally {
    zip.close();
  }
}
