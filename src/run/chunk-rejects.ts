import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { RejectFileError, TooManyRejectsError } from "../errors.js";
import { lineLocation } from "../input/line-location.js";
import type { Rejected } from "../load/loader.js";
import { describeLimit, overCount, type RejectLimit } from "./reject-limit.js";
import { makeDirectory, rejectsPath, syncDirectory } from "./reject-sink.js";
import type { LoadTask } from "./types.js";

const MAX_WARNINGS = 5;

/**
 * The rejects of one chunk. Several workers load chunks of one file at once, into one
 * reject file per (file, database): each chunk keeps its records and appends them whole
 * (one write, O_APPEND) and fsynced in `sync()`, just before the commit that records the
 * chunk, so the file holds the records of committed chunks only, each once.
 *
 * `--max-rejects` as a count is per file: `fileCount` (an Int32 shared by the file's chunks,
 * seeded with the rejects of chunks committed earlier) adds up every chunk's rejects. A
 * share is judged once every chunk is in, on the file's sums (chunked-file-end.ts).
 */
export class ChunkRejects {
  private records: string[] = [];
  private warned = 0;
  count = 0;
  /** Where the records went (once some were written). */
  path: string | undefined;

  constructor(
    private readonly task: Pick<LoadTask, "db" | "rejectsDir">,
    private readonly inputPath: string,
    private readonly limit: RejectLimit,
    private readonly fileCount: Int32Array,
  ) {}

  write(line: Rejected): void {
    this.count++;
    const total = Atomics.add(this.fileCount, 0, 1) + 1;
    if (this.task.rejectsDir) {
      // A directory that cannot be made fails the chunk at its first reject, as it fails a
      // whole file, rather than after the chunk's work.
      if (this.records.length === 0) this.makeDirectory(this.task.rejectsDir);
      const { file, ...rest } = line;
      this.records.push(`${JSON.stringify({ file, path: this.inputPath, ...rest })}\n`);
    } else if (this.warned++ < MAX_WARNINGS) {
      process.stderr.write(
        `tweetload: ${lineLocation(line)}: skipped a bad line (${line.error})\n`,
      );
    }
    if (overCount(this.limit, total))
      throw new TooManyRejectsError(describeLimit(this.limit), total);
  }

  private makeDirectory(dir: string): void {
    try {
      makeDirectory(dir);
    } catch (error) {
      throw new RejectFileError(rejectsPath(dir, this.inputPath, this.task.db), error);
    }
  }

  /**
   * Appends the chunk's records to the reject file and makes them durable. A write that
   * fails (a full disk) is cut off again, so no torn record stays behind.
   */
  sync(): void {
    const dir = this.task.rejectsDir;
    if (!dir || this.records.length === 0) return;
    const path = rejectsPath(dir, this.inputPath, this.task.db);
    try {
      makeDirectory(dir);
      const fd = openSync(path, "a");
      const size = fstatSync(fd).size;
      try {
        const bytes = Buffer.from(this.records.join(""), "utf8");
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
        fsyncSync(fd);
      } catch (error) {
        try {
          // A file this write made goes again; an earlier chunk's records stay.
          if (size === 0) unlinkSync(path);
          else ftruncateSync(fd, size);
        } catch {}
        throw error;
      } finally {
        closeSync(fd);
      }
      syncDirectory(dir);
    } catch (error) {
      throw new RejectFileError(path, error);
    }
    this.path = path;
    this.records = [];
  }

  /** A try that did not commit: its rejects no longer count against the file. */
  abandon(): void {
    Atomics.sub(this.fileCount, 0, this.count);
    this.count = 0;
    this.records = [];
  }
}
