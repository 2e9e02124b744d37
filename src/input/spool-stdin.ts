import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { InputError } from "../errors.js";
import { isArchiveName } from "./archive-members.js";
import { type Compression, compressionOf, decoded } from "./decompress.js";
import { type FileIdentity, fileStamp, loadIdOf } from "./file-identity.js";
import { STDIN } from "./list-archives.js";
import { makeSpoolFolder, removeStaleSpoolFolders } from "./spool-folders.js";

/** The archives to load, with every stream copied to a file, and how to remove the copies. */
export interface Spooled {
  files: string[];
  /** The copies made (file → what it copies), for messages. */
  copies: Map<string, string>;
  /**
   * What the journal knows each copy by (see streamIdentity); a copy whose bytes cannot
   * be read through is left out, and its load fails with the reader's own message.
   */
  identities: Map<string, FileIdentity>;
  cleanup(): Promise<void>;
}

/** Magic bytes of the compressed streams standard input may hold. */
const MAGIC: ReadonlyArray<[number[], Compression, string]> = [
  [[0x1f, 0x8b], "gzip", ".gz"],
  [[0x42, 0x5a, 0x68], "bzip2", ".bz2"],
];

/** A tar's header holds `ustar` at this offset. */
const USTAR_AT = 257;
/** Compressed bytes read to find the first decoded ones: a bzip2 block is at most 900 KB. */
const PEEK_BYTES = 1 << 20;

/** Names of standard input: a regular file behind them (`< file`) has no name of its own. */
const STDIN_NAMES = new Set([STDIN, "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/** Whether a path is read as a stream (standard input, a pipe, a device), not a file. */
async function isStream(path: string): Promise<boolean> {
  if (STDIN_NAMES.has(path)) return true;
  const info = await stat(path).catch(() => null);
  return info !== null && !info.isFile() && !info.isDirectory();
}

/** The first decoded bytes of a compressed copy (fewer when they cannot be decoded). */
async function decodedHead(copy: string, compression: Compression, bytes: number) {
  const head: Buffer[] = [];
  let got = 0;
  const stream = decoded(createReadStream(copy, { end: PEEK_BYTES - 1 }), compression);
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      head.push(piece);
      got += piece.length;
      if (got >= bytes) break;
    }
  } catch {
    // the first PEEK_BYTES end mid-stream: what was decoded before is enough
  }
  (stream as Readable).destroy();
  return Buffer.concat(head);
}

const isTar = (head: Buffer) => head.toString("latin1", USTAR_AT, USTAR_AT + 5) === "ustar";

/**
 * The name a copy gets: the stream's own archive name, else by its first bytes: gzip or
 * bzip2 by their magic bytes, a tar by the `ustar` of its header (inside them too).
 */
async function nameOf(path: string, copy: string): Promise<string> {
  if (!STDIN_NAMES.has(path) && isArchiveName(basename(path))) return basename(path);
  const handle = await open(copy);
  let first: Buffer;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    first = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const magic = MAGIC.find(([bytes]) => bytes.every((b, i) => first[i] === b));
  if (magic === undefined) return isTar(first) ? "stdin.tar" : "stdin.json";
  const [, compression, ending] = magic;
  const head = await decodedHead(copy, compression, USTAR_AT + 5);
  return `${isTar(head) ? "stdin.tar" : "stdin.json"}${ending}`;
}

/**
 * What the journal knows a stream's copy by: its content after decompression (a gzipped
 * or bzip2 copy is hashed as it decodes), so the same tweets piped once compressed and once
 * plain are one file, under its name without `.gz` or `.bz2`. Its path is made of that content
 * (`stdin/<SHA-1>/<name>`), not of the spool folder, which changes every run: so a stream
 * piped again finds its earlier load, finished or not, and `--replace` finds its rows.
 */
async function streamIdentity(copy: string): Promise<FileIdentity> {
  const hash = createHash("sha1");
  let size = 0;
  const { compression, inner } = compressionOf(basename(copy));
  const source = createReadStream(copy, { highWaterMark: 1 << 20 });
  const sink = async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
    }
  };
  await pipeline(decoded(source, compression), sink);
  const contentHash = hash.digest("hex");
  const fileName = inner;
  const path = `stdin/${contentHash}/${fileName}`;
  return {
    fileName,
    path,
    size,
    contentHash,
    loadId: loadIdOf(path),
    stamp: await fileStamp(copy),
  };
}

/**
 * Copies standard input (`-`) and any pipe or device given by name (`/dev/stdin`) to a
 * temporary file, so it loads like a file: each database reads it again, a lost
 * connection retries it, the denormalized loader may take a second pass, and the journal
 * knows it by its content (streamIdentity: the same bytes piped again are skipped like a
 * file loaded before). Gzip and bzip2 are recognised by their magic bytes, a tar by its
 * header. Memory stays constant; the disk holds the bytes as piped (compressed streams
 * stay compressed) until cleanup. The spool folders of loads that were killed before their
 * cleanup are removed first.
 */
export async function spoolStreams(
  files: readonly string[],
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<Spooled> {
  await removeStaleSpoolFolders();
  const copies = new Map<string, string>();
  const identities = new Map<string, FileIdentity>();
  let dir: string | null = null;
  const cleanup = async () => {
    if (dir !== null) await rm(dir, { recursive: true, force: true });
  };
  try {
    const out: string[] = [];
    for (const path of files) {
      if (!(await isStream(path))) {
        out.push(path);
        continue;
      }
      dir ??= await makeSpoolFolder();
      const partial = join(dir, `${copies.size}.partial`);
      // Standard input by any name is read from fd 0 itself: opening /dev/stdin fails
      // (ENXIO) when it is a socket, as it is under many process supervisors.
      const isStdin = STDIN_NAMES.has(path);
      await pipeline(isStdin ? stdin : createReadStream(path), createWriteStream(partial));
      const what = isStdin ? "standard input" : path;
      if ((await stat(partial)).size === 0) {
        throw new InputError(path, `${what} is empty (0 bytes): nothing to load`);
      }
      // One folder per copy, so that two streams may get the same name.
      const sub = join(dir, String(copies.size));
      await mkdir(sub);
      const copy = join(sub, await nameOf(path, partial));
      await rename(partial, copy);
      copies.set(copy, what);
      const identity = await streamIdentity(copy).catch(() => null);
      if (identity) identities.set(copy, identity);
      out.push(copy);
    }
    return { files: out, copies, identities, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof InputError) throw error;
    throw new InputError("-", `cannot read standard input: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
