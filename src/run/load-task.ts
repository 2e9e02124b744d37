import { setTimeout as sleep } from "node:timers/promises";
import { redactSecrets } from "../db/targets.js";
import { type FileIdentity, fileIdentity } from "../input/file-identity.js";
import type { SkippedMember } from "../input/types.js";
import { replaceEarlierLoad, useLoadId } from "../load/forget-load.js";
import { recordLoadDurably } from "../load/journal-durable.js";
import type { JournalEntry } from "../load/journal-entry.js";
import { FileChangedError, journalVerdict } from "../load/journal-verdict.js";
import type { FileResult } from "../load/loader.js";
import { loaderById } from "../load/registry.js";
import { isTransient } from "../load/retry.js";
import { DEFAULT_RETRY_FOR_MS, RetryBudget } from "../load/retry-budget.js";
import { trace } from "../report/trace.js";
import { tweetsInDatabase } from "./committed-count.js";
import { checkFileResult, unfinished } from "./outcome.js";
import { progressHook } from "./progress-hook.js";
import { DEFAULT_MAX_REJECTS, parseRejectLimit } from "./reject-limit.js";
import { RejectSink } from "./reject-sink.js";
import { retryNotice } from "./retry-notice.js";
import type { SessionCache } from "./sessions.js";
import type { FileReport, LoadTask } from "./types.js";

export { TooManyRejectsError } from "./outcome.js";

/**
 * Loads one file with this thread's session for its database and reports the outcome;
 * never throws (a failure is a report with status "failed" or "partial"). Steps: hash the
 * file; skip it when the database's journal has it (unless `force`), refuse it when its
 * path was loaded with other content (unless `replace`); load it, recording it in the
 * journal; after a lost connection, deadlock or serialization failure, discard the
 * connection and try the whole file again, with backoff, for up to `retryForMs` after the
 * first such failure (at most `retries` more times when that is set), logging each wait.
 * A file that ends unfinished is `failed` when nothing of it is in the database, else
 * `partial` with the tweets committed (asked of the database after a broken connection).
 * `onProgress` gets the running tweet count about every PROGRESS_EVERY tweets. An aborted
 * `signal` (Ctrl-C) ends the task without further tries.
 */
export async function loadTask(
  sessions: SessionCache,
  task: LoadTask,
  onProgress: (tweets: number) => void,
  signal?: AbortSignal,
): Promise<FileReport> {
  const started = performance.now();
  // Zip members passed over, by name: a file read twice (a retry) names each once.
  const skippedMembers = new Map<string, SkippedMember>();
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
    if (skippedMembers.size > 0) r.skippedMembers = [...skippedMembers.values()];
    return r;
  };

  // The connection (made once per thread and database) opens while the file is hashed; a
  // failure here is met again, and reported, by the first try below.
  sessions.connection(task).catch(() => {});
  let identity: FileIdentity;
  try {
    trace(`hashing ${task.file}`);
    identity = await fileIdentity(task.file);
    trace(`hashed ${task.file}`);
  } catch (error) {
    return report("failed", { error: (error as Error).message });
  }
  if (identity.size === 0) {
    return report("failed", { error: `${task.file} is empty (0 bytes): nothing to load` });
  }
  const entry: JournalEntry = { ...identity, loader: loaderById(task.loader).journalName };
  const budget = new RetryBudget(
    task.retryForMs ?? DEFAULT_RETRY_FOR_MS,
    task.retries === undefined ? undefined : 1 + task.retries,
  );
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
    const rejects = new RejectSink(task, identity.path, limit);
    let replaced: number | undefined;
    try {
      const { client, session } = await sessions.connection(task);
      if (!session.atomicFiles) {
        pid = (client as { processID?: number }).processID;
        if (shared && pid) Atomics.store(shared, 1, pid);
      }
      trace(`connected to ${task.db}`);
      const verdict =
        task.force || task.replace
          ? { state: "new" as const }
          : await journalVerdict(client, entry);
      if (verdict.state === "changed") {
        return report("failed", { error: new FileChangedError(entry, verdict.row).message });
      }
      if (verdict.state === "done") {
        const done = verdict.row;
        // A try after a lost COMMIT acknowledgement finds its own work done.
        if (attempt > 1) return report("loaded", done, attempt);
        const from = done.path === null || done.path === entry.path ? "" : ` from ${done.path}`;
        return report("skipped", {
          note: `already loaded into ${task.db}${from} on ${done.finishedAt.toISOString()} (${done.tweets} tweets); --force loads it again`,
        });
      }
      await useLoadId(client, entry);
      // Loaders that commit as they go forget the earlier load first, in a transaction of
      // its own; the atomic ones do it inside the file's transaction (beginFile).
      if (task.replace && !session.atomicFiles) replaced = await replaceEarlierLoad(client, entry);
      trace(`journal checked, loading ${task.file}`);
      const result = await session.loadFile(task.file, {
        onProgress: progressHook(onProgress),
        onReject: (line) => rejects.write(line),
        journal: {
          entry,
          force: task.force ?? false,
          replace: task.replace ?? false,
          beforeCommit: () => rejects.sync(),
          onReplaced: (removed) => {
            replaced = removed;
          },
        },
        input: {
          ...(task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes }),
          onSkippedMember: (member) => skippedMembers.set(member.name, member),
        },
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
        // The journal row is the commit after which a re-run skips the file: its rejects
        // must be on disk first (before it, a re-run reads the file and writes them again).
        rejects.sync();
        await recordLoadDurably(client, entry, result);
      }
      rejects.close();
      const rejectsFile = rejects.path;
      const note =
        replaced === undefined
          ? {}
          : { note: `replaced the earlier load of this file (${replaced} tweet rows removed)` };
      return report(
        "loaded",
        { ...result, ...note, ...(rejectsFile === undefined ? {} : { rejectsFile }) },
        attempt,
      );
    } catch (error) {
      // The connection may be unusable (or inside an aborted transaction): start afresh.
      await sessions.discard(task);
      rejects.close();
      const message = error instanceof Error ? error.message : String(error);
      const wait = !signal?.aborted && isTransient(error) ? budget.next(attempt) : undefined;
      if (wait) {
        process.stderr.write(`${retryNotice(task, error, wait)}\n`);
        await sleep(wait.waitMs, undefined, { signal }).catch(() => {});
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
