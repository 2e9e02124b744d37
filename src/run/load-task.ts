import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { basename, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { redactSecrets } from "../db/targets.js";
import { type FileIdentity, fileIdentity } from "../input/file-identity.js";
import { finishedLoad, type JournalEntry, recordLoad } from "../load/journal.js";
import type { FileResult, Rejected } from "../load/loader.js";
import { fileBackoffMs, isTransient } from "../load/retry.js";
import { tweetsInDatabase } from "./committed-count.js";
import { checkFileResult, TooManyRejectsError, unfinished } from "./outcome.js";
import {
  DEFAULT_MAX_REJECTS,
  exceedsLimit,
  parseRejectLimit,
  type RejectLimit,
} from "./reject-limit.js";
import type { SessionCache } from "./sessions.js";
import { DEFAULT_RETRIES, type FileReport, type LoadTask, PROGRESS_EVERY } from "./types.js";

export { TooManyRejectsError } from "./outcome.js";

const MAX_WARNINGS = 5;

/** The reject file of a task: `<dir>/<file name>.<db>.rejects.jsonl`. */
export const rejectsPath = (dir: string, task: Pick<LoadTask, "file" | "db">): string =>
  join(dir, `${basename(task.file)}.${task.db}.rejects.jsonl`);

/**
 * Writes rejected lines as JSON lines `{file, member, lineNo, text, error}` (text: the raw line) to the task's
 * reject file (made afresh by each try of the file), or warns on stderr without a
 * directory. Counts them and throws TooManyRejectsError past the limit.
 */
class RejectSink {
  private out: WriteStream | undefined;
  private warned = 0;
  count = 0;
  /** The file's tweets so far (from progress), for a limit that is a share. */
  tweets = 0;

  constructor(
    private readonly task: LoadTask,
    private readonly limit: RejectLimit,
  ) {}

  get path(): string | undefined {
    return this.out ? (this.out.path as string) : undefined;
  }

  write(line: Rejected) {
    this.count++;
    const { rejectsDir } = this.task;
    if (rejectsDir) {
      if (!this.out) {
        mkdirSync(rejectsDir, { recursive: true });
        this.out = createWriteStream(rejectsPath(rejectsDir, this.task));
      }
      this.out.write(`${JSON.stringify(line)}\n`);
    } else if (this.warned++ < MAX_WARNINGS) {
      const where = `${line.file}${line.member === null ? "" : ` ${line.member}`}:${line.lineNo}`;
      process.stderr.write(`tweetload: ${where}: skipped a bad line (${line.error})\n`);
    }
    if (exceedsLimit(this.limit, this.count, this.tweets, false)) {
      throw new TooManyRejectsError(this.limit, this.count);
    }
  }

  async close() {
    const out = this.out;
    if (out && !out.closed) await new Promise((resolve) => out.end(resolve));
  }
}

/** The journal's name of the loader a task uses. */
export const loaderName = (task: Pick<LoadTask, "db" | "batched">): string =>
  task.batched && task.db === "normalized" ? "normalized --batch" : task.db;

/**
 * Loads one file with this thread's session for its database and reports the outcome;
 * never throws (a failure is a report with status "failed"). Steps: hash the file; skip it
 * when the database's journal has it (unless `force`); load it, recording it in the
 * journal; after a lost connection, deadlock or serialization failure, discard the
 * connection and try the whole file again (`retries` times, with backoff). `onProgress`
 * gets the running tweet count about every PROGRESS_EVERY tweets. An aborted `signal`
 * (Ctrl-C) ends the task without further tries.
 */
export async function loadTask(
  sessions: SessionCache,
  task: LoadTask,
  onProgress: (tweets: number) => void,
  signal?: AbortSignal,
): Promise<FileReport> {
  const started = performance.now();
  const report = (
    status: FileReport["status"],
    result: Partial<FileResult> & { error?: string; note?: string; rejectsFile?: string },
    attempts = 1,
  ) => {
    const seconds = (performance.now() - started) / 1000;
    const tweets = result.tweets ?? 0;
    const r: FileReport = {
      file: task.file,
      db: task.db,
      tweets,
      rejects: result.rejects ?? 0,
      notices: result.notices ?? {},
      seconds,
      tweetsPerSecond: seconds > 0 ? tweets / seconds : 0,
      status,
    };
    if (result.error !== undefined) r.error = redactSecrets(result.error, [task.url]);
    if (result.retries !== undefined) r.retries = result.retries;
    if (result.rejectsFile !== undefined) r.rejectsFile = result.rejectsFile;
    if (result.note !== undefined) r.note = result.note;
    if (attempts > 1) r.attempts = attempts;
    return r;
  };

  let identity: FileIdentity;
  try {
    identity = await fileIdentity(task.file);
  } catch (error) {
    return report("failed", { error: (error as Error).message });
  }
  if (identity.size === 0) {
    return report("failed", { error: `${task.file} is empty (0 bytes): nothing to load` });
  }
  const entry: JournalEntry = { ...identity, loader: loaderName(task) };
  const tries = 1 + (task.retries ?? DEFAULT_RETRIES);
  const limit = parseRejectLimit(task.maxRejects ?? DEFAULT_MAX_REJECTS);
  // Tweets of the file committed by loaders that commit as they go, the most any try got
  // to: every try loads the file in the same order, and a re-load changes nothing.
  let committed = 0;
  const shared = task.committed ? new Int32Array(task.committed) : undefined;
  const onCommitted = (tweets: number) => {
    if (tweets <= committed) return;
    committed = tweets;
    if (shared) Atomics.store(shared, 0, tweets);
  };
  // The backend of a session that commits as it goes, for tweetsInDatabase after a break.
  let pid: number | undefined;
  const ended = (
    cause: string,
    attempt: number,
    extra: { rejects?: number; rejectsFile?: string },
  ) => {
    const { status, ...rest } = unfinished(committed, cause);
    return report(status, { ...extra, ...rest }, attempt);
  };

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return ended("interrupted", attempt, {});
    const rejects = new RejectSink(task, limit);
    let last = 0;
    try {
      const { client, session } = await sessions.connection(
        task.db,
        task.url,
        task.batchSize,
        task.batched,
        task.sharedUsers,
      );
      if (!session.atomicFiles) {
        pid = (client as { processID?: number }).processID;
        if (shared && pid) Atomics.store(shared, 1, pid);
      }
      const done = task.force ? undefined : await finishedLoad(client, entry);
      if (done) {
        // A try after a lost COMMIT acknowledgement finds its own work done.
        if (attempt > 1) return report("loaded", done, attempt);
        return report("skipped", {
          note: `already loaded into ${task.db} on ${done.finishedAt.toISOString()} (${done.tweets} tweets); --force loads it again`,
        });
      }
      const result = await session.loadFile(task.file, {
        onProgress(tweets) {
          rejects.tweets = tweets;
          if (tweets - last >= PROGRESS_EVERY) {
            last = tweets;
            onProgress(tweets);
          }
        },
        onReject: (line) => rejects.write(line),
        journal: { entry, force: task.force ?? false },
        onCommitted,
        accept: (r) => checkFileResult(r, limit),
      });
      if (result.skipped) {
        return report("skipped", {
          note: `loaded into ${task.db} by another tweetload meanwhile; --force loads it again`,
        });
      }
      if (!session.atomicFiles) {
        checkFileResult(result, limit);
        await recordLoad(client, entry, result);
      }
      await rejects.close();
      const rejectsFile = rejects.path;
      return report(
        "loaded",
        { ...result, ...(rejectsFile === undefined ? {} : { rejectsFile }) },
        attempt,
      );
    } catch (error) {
      // The connection may be unusable (or inside an aborted transaction): start afresh.
      await sessions.discard(task.db, task.url, task.batchSize, task.batched);
      await rejects.close();
      const message = error instanceof Error ? error.message : String(error);
      if (!signal?.aborted && attempt < tries && isTransient(error)) {
        await sleep(fileBackoffMs(attempt), undefined, { signal }).catch(() => {});
        if (!signal?.aborted) continue;
      }
      // A broken connection may have left commits unacknowledged: ask the database.
      if ((signal?.aborted || isTransient(error)) && pid !== undefined) {
        onCommitted(await tweetsInDatabase(task.url, task.file, pid).catch(() => committed));
      }
      if (signal?.aborted) return ended("interrupted", attempt, {});
      const rejectsFile = rejects.path;
      const after = attempt > 1 ? ` (after ${attempt} tries)` : "";
      return ended(`${message}${after}`, attempt, {
        rejects: rejects.count,
        ...(rejectsFile === undefined ? {} : { rejectsFile }),
      });
    }
  }
}
