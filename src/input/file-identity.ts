import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { basename } from "node:path";
import { inputError } from "./input-error.js";

/** What the journal knows a file by: where it is and what it holds. */
export interface FileIdentity {
  fileName: string;
  /** The file's resolved absolute path (symbolic links followed): the same from any directory. */
  path: string;
  size: number;
  /** Hex SHA-1 of every byte of the file. */
  contentHash: string;
  /**
   * The load id of this path, as a decimal BIGINT: every row a load of the file writes
   * carries it (column load_id), so that `--replace` can remove them. Derived from the path
   * alone (the first 8 bytes of its SHA-1), so a load whose journal row never got written
   * (a crash of a per-tweet load) still has rows that the next load of that path finds.
   */
  loadId: string;
}

/** The load id of a resolved path (see FileIdentity.loadId). */
export const loadIdOf = (path: string): string =>
  createHash("sha1").update(path).digest().readBigInt64BE(0).toString();

/**
 * The file's resolved path, size and a SHA-1 of its whole content, streamed. The whole file
 * rather than size, mtime and a sample: a download resumed or repaired in place keeps its
 * size and may keep its mtime, and loading the wrong version silently is what the journal
 * exists to prevent. SHA-1 (not for security here) hashes about 800 MB/s on one core, so a
 * 2.5 MB zip of 5,000 tweets costs 3 ms against the ~0.4 s its load takes (under 1%).
 * An unreadable file is an InputError naming it.
 */
export async function fileIdentity(file: string): Promise<FileIdentity> {
  try {
    const path = await realpath(file);
    const info = await stat(path);
    const hash = createHash("sha1");
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
    }
    return {
      fileName: basename(file),
      path,
      size: info.size,
      contentHash: hash.digest("hex"),
      loadId: loadIdOf(path),
    };
  } catch (error) {
    throw inputError(file, null, error);
  }
}
