import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, mkdtemp, open, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { InputError } from "../errors.js";
import { isArchiveName } from "./archive-members.js";
import { STDIN } from "./list-archives.js";

/** The archives to load, with every stream copied to a file, and how to remove the copies. */
export interface Spooled {
  files: string[];
  /** The copies made (file → what it copies), for messages. */
  copies: Map<string, string>;
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
 * Copies standard input (`-`) and any pipe or device given by name (`/dev/stdin`) to a
 * temporary file, so it loads like a file: each database reads it again, a lost
 * connection retries it, the denormalized loader may take a second pass, and the journal
 * hashes its content first (the same bytes piped again are skipped like a file loaded
 * before). Gzip is recognised by its magic bytes. Memory stays constant; the disk holds
 * the bytes as piped (gzip stays compressed) until cleanup.
 */
export async function spoolStreams(
  files: readonly string[],
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<Spooled> {
  const copies = new Map<string, string>();
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
      dir ??= await mkdtemp(join(tmpdir(), "tweetload-stdin-"));
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
      out.push(copy);
    }
    return { files: out, copies, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof InputError) throw error;
    throw new InputError("-", `cannot read standard input: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
