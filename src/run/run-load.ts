import { withClient } from "../db/client.js";
import type { DbKind, Targets } from "../db/kinds.js";
import { DEFAULT_REFRESH_TIMEOUT_MS, refreshMaterializedViews } from "../db/schema.js";
import { requireSchemaOf } from "../db/schema-kind.js";
import { databaseName, redactSecrets, redactUrl } from "../db/targets.js";
import { errorKind, UserError } from "../errors.js";
import type { FileIdentity } from "../input/file-identity.js";
import { DEFAULT_MAX_LINE_BYTES } from "../input/pending-line.js";
import { ensureJournal } from "../load/journal.js";
import { ensureChunkJournal } from "../load/journal-chunks.js";
import { type LoaderId, loaderById, loadersFor } from "../load/registry.js";
import { trace } from "../report/trace.js";
import { addNotices, type NoticeCounts } from "../transform/notices.js";
import { chunkLinesOf } from "./chunk-plan.js";
import { requireHeapForLines } from "./heap-budget.js";
import { type FileSettings, fileSettingsOf, type RunSettings } from "./load-options.js";
import { poolSize, startWorkerPool, type WorkerPool } from "./pool.js";
import { runSequential } from "./sequential.js";
import { type FileReport, type LoadTask, notStarted, type RunListener } from "./types.js";

/** What the runner takes: the load's settings (load-options.ts), its files and targets. */
export interface LoadRunOptions extends FileSettings, RunSettings {
  /** Archives in load order. */
  files: readonly string[];
  dbs: readonly DbKind[];
  /** URLs of (at least) the databases in `dbs`. */
  targets: Partial<Targets>;
  /** The loader of each database (registry ids); default each database's own (loadersFor()). */
  loaders?: Partial<Record<DbKind, LoaderId>>;
  /**
   * What the journal knows some files by, when not by their own bytes: the copies of
   * standard input, by their content after decompression (spool-stdin.ts).
   */
  identities?: ReadonlyMap<string, FileIdentity>;
  /** Aborting it (Ctrl-C) stops the run: files in flight roll back, the rest are not started. */
  signal?: AbortSignal;
  listener?: RunListener;
  /**
   * Workers the caller started early (startWorkerPool with poolSize(jobs, tasks)), used
   * instead of starting a pool here; the caller destroys them.
   */
  pool?: WorkerPool;
}

/** A database whose tag views the load could not refresh. */
export interface StaleViews {
  db: DbKind;
  error: string;
  /** True when the refresh ran past the time it was given (refreshTimeoutMs). */
  timedOut?: boolean;
}

export interface LoadTotals {
  tweets: number;
  rejects: number;
  /** Stream notices skipped, per kind, over all files. */
  notices: NoticeCounts;
  /** Wall-clock seconds of the whole run (setup and view refresh included). */
  seconds: number;
  tweetsPerSecond: number;
  /** Files of which nothing is in the database. */
  failed: number;
  /** Files of which some tweets are committed (run the same load again to finish them). */
  partial: number;
}

export interface LoadRunResult {
  files: FileReport[];
  totals: LoadTotals;
  /** True when the run was stopped by its signal. */
  interrupted?: boolean;
  /**
   * Databases whose materialized views could not be refreshed after the load (the refresh
   * ran past refreshTimeoutMs, or the server went away meanwhile), with the cause: their
   * rows are in, the tag views are stale until `tweetload db refresh`.
   */
  staleViews?: StaleViews[];
}

const loaderOf = (options: LoadRunOptions, db: DbKind): LoaderId =>
  options.loaders?.[db] ?? loadersFor()[db];

/** Every (database, file) pair, database by database, files in the given order. */
export function planTasks(options: LoadRunOptions): LoadTask[] {
  const { jobs, chunkLines: lines } = options;
  const settings = fileSettingsOf(options);
  return options.dbs.flatMap((db) => {
    const url = options.targets[db];
    if (url === undefined) throw new Error(`no URL for ${databaseName(db)}`);
    return options.files.map((file) => {
      const chunkLines = chunkLinesOf(file, jobs, options.files.length, lines);
      const loader = loaderOf(options, db);
      const task: LoadTask = { file, db, url, loader, ...settings };
      if (chunkLines !== undefined) task.chunkLines = chunkLines;
      const identity = options.identities?.get(file);
      if (identity) task.identity = identity;
      return task;
    });
  });
}

export function totalsOf(files: readonly FileReport[], seconds: number): LoadTotals {
  const tweets = files.reduce((n, f) => n + f.tweets, 0);
  return {
    tweets,
    rejects: files.reduce((n, f) => n + f.rejects, 0),
    notices: files.reduce((n: NoticeCounts, f) => addNotices(n, f.notices), {}),
    seconds,
    tweetsPerSecond: seconds > 0 ? tweets / seconds : 0,
    failed: files.filter((f) => f.status === "failed").length,
    partial: files.filter((f) => f.status === "partial").length,
  };
}

/** What to do about a connection failure, where the cause is plain. */
function hintFor(error: unknown): string {
  switch (errorKind(error)) {
    case "refused":
      return " (is the server running? `tweetload db up` starts the embedded clusters)";
    case "login":
      return " (check the user and password in the URL)";
    case "no-database":
      return " (create it, or apply the schema with `tweetload db up`)";
    case "untrusted":
      return " (the server's certificate is not trusted: name its CA with sslrootcert=/path/to/root.crt, or use sslmode=require to encrypt without verifying, as libpq does)";
    default:
      return "";
  }
}

/**
 * Connects to one database before any file is read: a wrong URL, a wrong password or a
 * server that is down is one sentence for the user (password hidden), not a failure per file.
 * Every load needs the chunk journal: a file loaded whole resumes the chunks of it that a
 * load in chunks committed.
 */
async function prepareDatabase(db: DbKind, url: string, loader: LoaderId, signal?: AbortSignal) {
  const setup = loaderById(loader).setup;
  try {
    await withClient(
      url,
      async (client) => {
        trace(`connected to ${db} for the checks`);
        await requireSchemaOf(client, db);
        await ensureJournal(client);
        await ensureChunkJournal(client);
        if (setup) await setup(client);
      },
      {},
      signal,
    );
  } catch (error) {
    const reason = redactSecrets((error as Error).message, [url]);
    throw new UserError(
      `cannot use ${databaseName(db)} at ${redactUrl(url)}: ${reason}${hintFor(error)}`,
      1,
      { cause: error },
    );
  }
}

/**
 * Checks and sets up every database at once (each on its own connection): the round trips
 * and the servers' connection start-up overlap instead of adding up. When several cannot
 * be used, the first in `dbs` order is the one reported, as when they were checked in turn.
 */
async function prepareDatabases(options: LoadRunOptions): Promise<void> {
  const checks = await Promise.allSettled(
    options.dbs.map((db) =>
      prepareDatabase(
        db,
        options.targets[db] as string,
        loaderOf(options, db),
        options.signal,
      ).then(() => trace(`${db} checked (schema, journal, setup)`)),
    ),
  );
  for (const check of checks) if (check.status === "rejected") throw check.reason;
}

/**
 * Loads every file into every chosen database: each database is checked and set up once,
 * then the files run sequentially or on a worker pool, then the materialized views are
 * refreshed. A file that fails is reported, not thrown; a database that cannot be used throws.
 */
export async function runLoad(options: LoadRunOptions): Promise<LoadRunResult> {
  const started = performance.now();
  const tasks = planTasks(options);
  const chunked = tasks.some((t) => t.chunkLines !== undefined);
  const jobs = poolSize(options.jobs, tasks.length, chunked);
  // Started before the databases are checked, so the workers load meanwhile.
  requireHeapForLines(options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  const own =
    options.pool || jobs <= 1
      ? undefined
      : startWorkerPool(jobs, options.batchSize, { maxLineBytes: options.maxLineBytes });
  const pool = options.pool ?? own;
  // Stopped: the workers' statements are cancelled on the server (a COPY waiting for a
  // lock, a merge), once the workers are gone, so that a cancelled statement cannot reach a
  // worker before the stop does and change its report. The sequential runner and
  // withClient cancel their own.
  const onAbort = () => {
    if (pool) void pool.destroy().then(() => pool.cancelQueries());
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    let files: FileReport[];
    try {
      // Stopped while the databases are checked (one may wait for a lock): nothing started.
      const prepared = await prepareDatabases(options).then(
        () => true,
        (error: unknown) => {
          if (options.signal?.aborted) return false;
          throw error;
        },
      );
      files = !prepared
        ? tasks.map(notStarted)
        : pool
          ? await pool.run(tasks, options.listener, options.signal)
          : await runSequential(tasks, options.listener, options.signal);
    } finally {
      await own?.destroy();
    }
    trace("files done");
    const staleViews = options.signal?.aborted ? [] : await refreshViews(options, files);
    trace("views refreshed");
    const result: LoadRunResult = {
      files,
      totals: totalsOf(files, (performance.now() - started) / 1000),
    };
    if (options.signal?.aborted) result.interrupted = true;
    if (staleViews.length > 0) result.staleViews = staleViews;
    return result;
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Refreshes the materialized views of every database a file went into. Skipped files count
 * too: a run killed after its last commit left the views stale. The databases refresh at
 * once, as they were checked; a refresh that fails (the server went away meanwhile) leaves
 * the files' reports the truth, and only the derived views wait for the next load.
 */
async function refreshViews(
  options: LoadRunOptions,
  files: readonly FileReport[],
): Promise<StaleViews[]> {
  const staleViews: StaleViews[] = [];
  const timeoutMs = options.refreshTimeoutMs ?? DEFAULT_REFRESH_TIMEOUT_MS;
  const stale = options.dbs.filter((db) => files.some((f) => f.db === db && f.status !== "failed"));
  await Promise.all(
    stale.map(async (db) => {
      const url = options.targets[db] as string;
      try {
        await withClient(
          url,
          (client) => refreshMaterializedViews(client, timeoutMs),
          {},
          options.signal,
        );
      } catch (error) {
        const message = redactSecrets((error as Error).message, [url]);
        staleViews.push(
          errorKind(error) === "canceled"
            ? { db, error: message, timedOut: true }
            : { db, error: message },
        );
      }
    }),
  );
  return staleViews;
}
