import { setTimeout as sleep } from "node:timers/promises";
import { ChunksCommittedError, FileChangedError, isTransient } from "../errors.js";
import { checkUnchanged } from "../input/file-identity.js";
import { replaceEarlierLoad, useLoadId } from "../load/forget-load.js";
import { type ChunkRow, chunkRows, chunkTotals } from "../load/journal-chunks.js";
import { recordLoadDurably } from "../load/journal-durable.js";
import type { JournalEntry } from "../load/journal-entry.js";
import { holdContent } from "../load/journal-locks.js";
import { type JournalVerdict, journalVerdict } from "../load/journal-verdict.js";
import type { PgClient } from "../load/loader.js";
import { DEFAULT_RETRY_FOR_MS, RetryBudget } from "../load/retry-budget.js";
import { trace } from "../report/trace.js";
import { localChunkRunner } from "./chunk-local-runner.js";
import { loadInChunks } from "./chunked-file.js";
import { tweetsInDatabase } from "./committed-count.js";
import { alreadyLoaded, FileReporter, loadedMeanwhile, replacedNote } from "./file-report.js";
import { checkFileResult, unfinished } from "./outcome.js";
import { progressHook } from "./progress-hook.js";
import { DEFAULT_MAX_REJECTS, parseRejectLimit } from "./reject-limit.js";
import { RejectSink } from "./reject-sink.js";
import { retryNotice } from "./retry-notice.js";
import type { SessionCache } from "./sessions.js";
import { journalEntryOf, waitNotice } from "./task-identity.js";
import type { FileReport, LoadTask } from "./types.js";

/** What the journal says before a whole-file load: what to do with the file. */
type Prepared =
  | Exclude<JournalVerdict, { state: "new" }>
  | { state: "meanwhile" }
  | { state: "resume"; prior: ChunkRow[] }
  | { state: "load"; release?: () => Promise<void> };

/**
 * Looks the file up before it is loaded whole: listed (unless `force` or `replace`),
 * changed, or begun in chunks by another load (unless `replace`, which forgets that load):
 * then those chunks are resumed. A loader that commits as it goes (not `atomic`) then
 * takes the content's lock for its whole load and looks again, so that no other load of
 * the content runs meanwhile; an atomic loader does the same inside its transaction
 * (inFileTransaction).
 */
async function prepare(
  client: PgClient,
  atomic: boolean,
  task: LoadTask,
  entry: JournalEntry,
): Promise<Prepared> {
  const look = async (): Promise<Prepared | null> => {
    if (!task.force && !task.replace) {
      const verdict = await journalVerdict(client, entry);
      if (verdict.state !== "new") return verdict;
    }
    if (task.replace) return null;
    const prior = await chunkRows(client, entry);
    return prior.length > 0 ? { state: "resume", prior } : null;
  };
  const early = await look();
  if (early || atomic) return early ?? { state: "load" };
  const release = await holdContent(client, entry, "exclusive", waitNotice(task));
  const late = await look();
  if (!late) return { state: "load", release };
  await release();
  return late.state === "done" ? { state: "meanwhile" } : late;
}

/**
 * Loads one file with this thread's session for its database and reports the outcome;
 * never throws (a failure is a report with status "failed" or "partial"). Steps: identify
 * the file (its SHA-1); skip it when the database's journal has it (unless `force`),
 * refuse it when its path was loaded with other content (unless `replace`), resume the
 * chunks a load in chunks committed of it (prepare, and inFileTransaction inside the file's
 * transaction); load it, recording it in the journal once the file is checked to be the
 * one hashed (checkUnchanged); after a lost connection, deadlock or serialization
 * failure, discard the connection and try the whole file again, with backoff, for up to
 * `retryForMs` after the first such failure (at most `retries` more times when that is
 * set), logging each wait. A file that ends unfinished is `failed` when nothing of it is
 * in the database, else `partial` with the tweets committed (asked of the database after
 * a broken connection). `onProgress` gets the running tweet count about every
 * PROGRESS_EVERY tweets. An aborted `signal` (Ctrl-C) ends the task without further tries.
 */
export async function loadTask(
  sessions: SessionCache,
  task: LoadTask,
  onProgress: (tweets: number) => void,
  signal?: AbortSignal,
): Promise<FileReport> {
  const reporter = new FileReporter(task);
  // The connection (made once per thread and database) opens while the file is hashed; a
  // failure here is met again, and reported, by the first try below.
  sessions.connection(task).catch(() => {});
  let entry: JournalEntry;
  try {
    trace(`hashing ${task.file}`);
    entry = await journalEntryOf(task);
    trace(`hashed ${task.file}`);
  } catch (error) {
    return reporter.report("failed", { error: (error as Error).message });
  }
  const budget = new RetryBudget(
    task.retryForMs ?? DEFAULT_RETRY_FOR_MS,
    task.retries === undefined ? undefined : 1 + task.retries,
  );
  const limit = parseRejectLimit(task.maxRejects ?? DEFAULT_MAX_REJECTS);
  // Tweets of the file committed by loaders that commit as they go (or in chunks of it),
  // the most any try got to: every try loads the file in the same order, and a re-load
  // changes nothing.
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
    attempts: number,
    extra: { rejects?: number; rejectsFile?: string },
  ) => {
    const { status, ...rest } = unfinished(committed, cause);
    return reporter.report(status, { ...extra, ...rest, attempts });
  };
  // Chunks of the file that a load in chunks committed: the rest is loaded chunk by chunk.
  const resume = async (prior: ChunkRow[]) => {
    const runner = localChunkRunner(sessions, {
      onProgress,
      onCommitted,
      committedBefore: chunkTotals(prior).tweets,
      signal,
    });
    const start = { entry, prior, notes: [] };
    return (await loadInChunks(task, runner, start, reporter)).done;
  };

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return ended("interrupted", attempt, {});
    const rejects = new RejectSink(task, entry.path, limit);
    let replaced: number | undefined;
    try {
      const { client, session } = await sessions.connection(task);
      if (!session.atomicFiles) {
        pid = (client as { processID?: number }).processID;
        if (shared && pid) Atomics.store(shared, 1, pid);
      }
      trace(`connected to ${task.db}`);
      const prepared = await prepare(client, session.atomicFiles === true, task, entry);
      if (prepared.state === "changed") {
        return reporter.report("failed", {
          error: new FileChangedError(entry, prepared.row).message,
        });
      }
      if (prepared.state === "done") {
        // A try after a lost COMMIT acknowledgement finds its own work done.
        if (attempt > 1) return reporter.report("loaded", { ...prepared.row, attempts: attempt });
        return reporter.report("skipped", { note: alreadyLoaded(task, entry.path, prepared.row) });
      }
      if (prepared.state === "meanwhile") {
        return reporter.report("skipped", { note: loadedMeanwhile(task) });
      }
      if (prepared.state === "resume") {
        rejects.close();
        return await resume(prepared.prior);
      }
      const { release } = prepared;
      if (release) checkUnchanged(task.file, entry);
      await useLoadId(client, entry);
      // Loaders that commit as they go forget the earlier load first, in a transaction of
      // its own; the atomic ones do it inside the file's transaction (inFileTransaction).
      if (task.replace && release) replaced = await replaceEarlierLoad(client, entry);
      trace(`journal checked, loading ${task.file}`);
      const result = await session.loadFile(task.file, {
        onProgress: progressHook(onProgress),
        onReject: (line) => rejects.write(line),
        journal: {
          entry,
          force: task.force ?? false,
          replace: task.replace ?? false,
          beforeCommit: () => {
            checkUnchanged(task.file, entry);
            rejects.sync();
          },
          onReplaced: (removed) => {
            replaced = removed;
          },
          onWait: waitNotice(task),
        },
        input: {
          ...(task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes }),
          onSkippedMember: (member) => reporter.skippedMembers.set(member.name, member),
        },
        onCommitted,
        accept: (r) => checkFileResult(r, limit),
      });
      if (result.skipped) return reporter.report("skipped", { note: loadedMeanwhile(task) });
      if (release) {
        checkFileResult(result, limit);
        // The journal row is the commit after which a re-run skips the file: the file must
        // still be the one hashed, and its rejects on disk (before it, a re-run reads the
        // file and writes them again).
        checkUnchanged(task.file, entry);
        rejects.sync();
        await recordLoadDurably(client, entry, result);
        await release();
      }
      rejects.close();
      const rejectsFile = rejects.path;
      return reporter.report("loaded", {
        tweets: result.tweets,
        rejects: result.rejects,
        notices: result.notices ?? {},
        ...(result.retries === undefined ? {} : { retries: result.retries }),
        ...(replaced === undefined ? {} : { note: replacedNote(replaced) }),
        ...(rejectsFile === undefined ? {} : { rejectsFile }),
        attempts: attempt,
      });
    } catch (error) {
      if (error instanceof ChunksCommittedError) {
        rejects.close();
        return resume(error.rows as ChunkRow[]);
      }
      // The connection may be unusable (or inside an aborted transaction, or holding the
      // content's lock): start afresh.
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
