import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import { isArchiveName } from "./archive-members.js";
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

const GZIP_MAGIC = [0x1f, 0x8b];

/** Names of standard input: a regular file behind them (`< file`) has no name of its own. */
const STDIN_NAMES = new Set([STDIN, "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);

/** Whether a path is read as a stream (standard input, a pipe, a device), not a file. */
async function isStream(path: string): Promise<boolean> {
  if (STDIN_NAMES.has(path)) return true;
  const info = await stat(path).catch(() => null);
  return info !== null && !info.isFile() && !info.isDirectory();
}

/** The name a copy gets: the stream's own archive name, else by its first bytes. */
async function nameOf(path: string, copy: string): Promise<string> {
  if (!STDIN_NAMES.has(path) && isArchiveName(basename(path))) return basename(path);
  const handle = await open(copy);
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    const gzip = bytesRead === 2 && GZIP_MAGIC.every((b, i) => buffer[i] === b);
    return gzip ? "stdin.json.gz" : "stdin.json";
  } finally {
    await handle.close();
  }
}

/**
 * What the journal knows a stream's copy by: its content after decompression (a gzipped
 * copy is hashed as it inflates), so the same tweets piped once gzipped and once plain are
 * one file, under its name without `.gz`. Its path is made of that content
 * (`stdin/<SHA-1>/<name>`), not of the spool folder, which changes every run: so a stream
 * piped again finds its earlier load, finished or not, and `--replace` finds its rows.
 */
async function streamIdentity(copy: string): Promise<FileIdentity> {
  const hash = createHash("sha1");
  let size = 0;
  const gzipped = copy.toLowerCase().endsWith(".gz");
  const source = createReadStream(copy, { highWaterMark: 1 << 20 });
  const sink = async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
    }
  };
  if (gzipped) await pipeline(source, createGunzip(), sink);
  else await pipeline(source, sink);
  const contentHash = hash.digest("hex");
  const fileName = gzipped ? basename(copy).slice(0, -3) : basename(copy);
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
 * file loaded before). Gzip is recognised by its magic bytes. Memory stays constant; the
 * disk holds the bytes as piped (gzip stays compressed) until cleanup. The spool folders
 * of loads that were killed before their cleanup are removed first.
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
