import { createHash } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { RejectFileError, TooManyRejectsError } from "../errors.js";
import { lineLocation } from "../input/line-location.js";
import type { Rejected } from "../load/loader.js";
import { describeLimit, overCount, type RejectLimit } from "./reject-limit.js";
import type { LoadTask } from "./types.js";

const MAX_WARNINGS = 5;

/**
 * The reject file of a task: `<dir>/<base name>.<8 hex of the SHA-1 of its resolved
 * path>.<db>.rejects.jsonl`. The hash keeps `a/day.jsonl` and `b/day.jsonl` apart; the base
 * name keeps the file easy to find; the same input from another directory gets the same one.
 */
export const rejectsPath = (dir: string, path: string, db: LoadTask["db"]): string =>
  join(
    dir,
    `${basename(path)}.${createHash("sha1").update(path).digest("hex").slice(0, 8)}.${db}.rejects.jsonl`,
  );

/**
 * mkdir -p without Node's recursive mkdir, which spins forever on a path it can never
 * create (`/proc/x`: ENOENT although the parent exists). Makes each missing parent once.
 */
export function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw error;
    makeDirectory(dirname(dir));
    try {
      mkdirSync(dir);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== "EEXIST") throw again;
    }
  }
}

/**
 * Writes rejected lines as JSON lines `{file, path, member, lineNo, text, error}` (path: the
 * input's resolved path; text: the raw line) to the task's reject file, made afresh by each
 * try of the file, or warns on stderr without a directory. Counts them and throws
 * TooManyRejectsError past a limit that is a count (a share is judged at the file's end).
 *
 * Writes are synchronous, so a full disk or a read-only directory throws RejectFileError
 * inside the loader's onReject and the file fails before it commits (a stream would report
 * the error later, unhandled). `sync()` makes the file durable and must run before the
 * commit that records the file as loaded.
 */
export class RejectSink {
  private fd: number | undefined;
  private failure: RejectFileError | undefined;
  private warned = 0;
  count = 0;
  /** Where the records go (once the first reject has been written). */
  path: string | undefined;

  constructor(
    private readonly task: Pick<LoadTask, "db" | "rejectsDir">,
    /** The input's resolved path (FileIdentity.path). */
    private readonly inputPath: string,
    private readonly limit: RejectLimit,
  ) {}

  write(line: Rejected): void {
    this.count++;
    const { rejectsDir } = this.task;
    if (rejectsDir) {
      const { file, ...rest } = line;
      this.append(rejectsDir, `${JSON.stringify({ file, path: this.inputPath, ...rest })}\n`);
    } else if (this.warned++ < MAX_WARNINGS) {
      process.stderr.write(
        `tweetload: ${lineLocation(line)}: skipped a bad line (${line.error})\n`,
      );
    }
    if (overCount(this.limit, this.count))
      throw new TooManyRejectsError(describeLimit(this.limit), this.count);
  }

  private append(dir: string, record: string): void {
    if (this.failure) throw this.failure;
    const path = rejectsPath(dir, this.inputPath, this.task.db);
    try {
      if (this.fd === undefined) {
        this.path = path;
        makeDirectory(dir);
        this.fd = openSync(path, "w");
        syncDirectory(dir);
      }
      const bytes = Buffer.from(record, "utf8");
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
    } catch (error) {
      this.failure = new RejectFileError(path, error);
      throw this.failure;
    }
  }

  /** Flushes the reject file to disk; throws RejectFileError when it cannot. */
  sync(): void {
    if (this.failure) throw this.failure;
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } catch (error) {
      this.failure = new RejectFileError(this.path as string, error);
      throw this.failure;
    }
  }

  /**
   * Closes the file (errors ignored: whatever had to be durable was synced before). After a
   * failed write the file is removed, since its file was not loaded and a torn record would
   * only mislead.
   */
  close(): void {
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (fd !== undefined) closeSync(fd);
      if (this.failure && this.path !== undefined) unlinkSync(this.path);
    } catch {}
    if (this.failure) this.path = undefined;
  }
}

/** A new file's directory entry is durable only once its directory is synced (POSIX). */
export function syncDirectory(dir: string): void {
  // Windows cannot open a directory for fsync; NTFS journals the entry itself.
  if (process.platform === "win32") return;
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
