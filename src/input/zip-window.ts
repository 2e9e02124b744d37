import { createReadStream } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import type { Readable } from "node:stream";
import { inflateRawSync } from "node:zlib";
import yauzl, { type Entry } from "yauzl";
import { InputError } from "../errors.js";

/**
 * Every byte yauzl reads, served from one handle's window: yauzl reads the central
 * directory two small reads an entry (each through a stream of its own), 20,000 reads for
 * a zip of 10,000 members, and this lets them share a few window reads.
 */
export class WindowReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
    readonly window: ZipWindow,
  ) {
    super();
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null, bytesRead?: number) => void,
  ): void {
    this.window.at(position, length).then(
      (bytes) => {
        bytes.copy(buffer, offset);
        callback(null, length);
      },
      (error: Error) => callback(error),
    );
  }

  /** A stream of a range (yauzl streams stored and encrypted members through it). */
  override _readStreamForRange(start: number, end: number): Readable {
    return createReadStream(this.file, { start, end: end - 1, highWaterMark: 1 << 17 });
  }

  override close(callback: (error: Error | null) => void): void {
    this.handle.close().then(() => callback(null), callback);
  }
}

/**
 * Members at most this big, compressed and inflated, are read whole through a window over
 * the archive and inflated at once. Streaming each one (an open, a local-header read, data
 * reads, a close, an inflate stream and its pipeline) cost some 2 ms a member: a zip of
 * 10,000 one-tweet members took 26 s to load where the same tweets in one member took 4.
 */
export const SMALL_MEMBER_BYTES = 1 << 20;

/** Bytes read at once: consecutive small members (as zip writers lay them out) share a read. */
const WINDOW_BYTES = 1 << 20;

/**
 * Bytes read at a jump (a member laid out elsewhere than after the last one read): members
 * read in name order from a zip written in another order each cost a window of their own,
 * and a 1 MiB window each made 10,000 shuffled members take 7 times as long to read.
 */
const JUMP_BYTES = 16 << 10;

const LOCAL_HEADER = 0x04034b50;

/** A read-only view of an archive's bytes, one window read at a time. */
export class ZipWindow {
  private start = 0;
  private bytes = Buffer.alloc(0);

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
  ) {}

  /**
   * `length` bytes at `offset`, read with the bytes after them when not at hand: a window
   * when reading goes on from the last window, a little when it jumps.
   */
  async at(offset: number, length: number): Promise<Buffer> {
    const from = offset - this.start;
    if (from >= 0 && from + length <= this.bytes.length) {
      return this.bytes.subarray(from, from + length);
    }
    const onwards = from >= 0 && from <= this.bytes.length + JUMP_BYTES;
    const read = Math.max(onwards ? WINDOW_BYTES : JUMP_BYTES, length);
    const want = Math.max(0, Math.min(read, this.size - offset));
    const window = Buffer.allocUnsafe(want);
    const { bytesRead } = await this.handle.read(window, 0, want, offset);
    if (bytesRead < length) {
      throw new Error(
        `the archive ends at byte ${offset + bytesRead}, before byte ${offset + length} it needs (is it cut short?)`,
      );
    }
    this.start = offset;
    this.bytes = window.subarray(0, bytesRead);
    return this.bytes.subarray(0, length);
  }
}

/** Whether `entry` is read whole (smallMember) rather than streamed. */
export const isSmallMember = (entry: Entry): boolean =>
  !entry.isEncrypted() &&
  (entry.compressionMethod === 8 || entry.compressionMethod === 0) &&
  entry.compressedSize <= SMALL_MEMBER_BYTES &&
  entry.uncompressedSize <= SMALL_MEMBER_BYTES;

/**
 * A small member's bytes, inflated and checked against the size its directory entry
 * announces (as the streamed members are). Its local header gives where its data starts.
 */
export async function smallMember(file: string, window: ZipWindow, entry: Entry): Promise<Buffer> {
  const corrupt = (reason: string) =>
    new InputError(file, `${file} (member ${entry.fileName}) is corrupt: ${reason}`);
  const offset = entry.relativeOffsetOfLocalHeader;
  const header = await window.at(offset, 30);
  if (header.readUInt32LE(0) !== LOCAL_HEADER) throw corrupt("its local header is missing");
  const start = offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = await window.at(start, entry.compressedSize);
  let bytes: Buffer;
  try {
    bytes =
      entry.compressionMethod === 0
        ? data
        : inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
  } catch (error) {
    throw corrupt(`it does not inflate (${(error as Error).message})`);
  }
  if (bytes.length !== entry.uncompressedSize) {
    throw corrupt(`it inflates to ${bytes.length} bytes, not ${entry.uncompressedSize}`);
  }
  return bytes;
}
