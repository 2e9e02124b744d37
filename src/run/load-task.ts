import { createWriteStream, type WriteStream } from "node:fs";
import { basename, join } from "node:path";
import type { Rejected } from "../load/loader.js";
import type { SessionCache } from "./sessions.js";
import { type FileReport, type LoadTask, PROGRESS_EVERY } from "./types.js";

const MAX_WARNINGS = 5;

/** Appends rejected lines to `<dir>/<file>.<db>.rejects.jsonl`, or warns on stderr. */
class RejectSink {
  private out: WriteStream | undefined;
  private warned = 0;

  constructor(private readonly task: LoadTask) {}

  write(line: Rejected) {
    const { rejectsDir } = this.task;
    if (rejectsDir) {
      this.out ??= createWriteStream(
        join(rejectsDir, `${basename(this.task.file)}.${this.task.db}.rejects.jsonl`),
      );
      this.out.write(`${JSON.stringify(line)}\n`);
    } else if (this.warned++ < MAX_WARNINGS) {
      const where = `${line.file}${line.member === null ? "" : ` ${line.member}`}:${line.lineNo}`;
      process.stderr.write(`tweetload: ${where}: skipped a bad line (${line.error})\n`);
    }
  }

  async close() {
    const out = this.out;
    if (out) await new Promise((resolve) => out.end(resolve));
  }
}

/**
 * Loads one file with this thread's session for its database and reports the outcome;
 * never throws (a failure is a report with status "failed"). `onProgress` gets the
 * running tweet count about every PROGRESS_EVERY tweets.
 */
export async function loadTask(
  sessions: SessionCache,
  task: LoadTask,
  onProgress: (tweets: number) => void,
): Promise<FileReport> {
  const started = performance.now();
  const rejects = new RejectSink(task);
  let last = 0;
  const report = (
    status: FileReport["status"],
    tweets: number,
    rejected: number,
    error?: string,
    retries?: number,
  ) => {
    const seconds = (performance.now() - started) / 1000;
    const r: FileReport = {
      file: task.file,
      db: task.db,
      tweets,
      rejects: rejected,
      seconds,
      tweetsPerSecond: seconds > 0 ? tweets / seconds : 0,
      status,
    };
    if (error !== undefined) r.error = error;
    if (retries !== undefined) r.retries = retries;
    return r;
  };
  try {
    const session = await sessions.session(task.db, task.url, task.batchSize, task.batched);
    const result = await session.loadFile(task.file, {
      onProgress(tweets) {
        if (tweets - last >= PROGRESS_EVERY) {
          last = tweets;
          onProgress(tweets);
        }
      },
      onReject: (line) => rejects.write(line),
    });
    return report("loaded", result.tweets, result.rejects, undefined, result.retries);
  } catch (error) {
    // The connection may be unusable (or inside an aborted transaction): start afresh.
    await sessions.discard(task.db, task.url, task.batchSize, task.batched);
    return report("failed", 0, 0, error instanceof Error ? error.message : String(error));
  } finally {
    await rejects.close();
  }
}
