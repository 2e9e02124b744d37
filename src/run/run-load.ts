import { withClient } from "../db/client.js";
import type { DbKind, Targets } from "../db/kinds.js";
import { refreshMaterializedViews } from "../db/schema.js";
import { loaderFor } from "../load/registry.js";
import { runPool } from "./pool.js";
import { runSequential } from "./sequential.js";
import type { FileReport, LoadTask, RunListener } from "./types.js";

export interface LoadRunOptions {
  /** Archives in load order. */
  files: readonly string[];
  dbs: readonly DbKind[];
  targets: Targets;
  /** 1 = sequential on this thread; more = a piscina pool of that many workers. */
  jobs: number;
  batchSize: number;
  /** Use each database's batched loader where it has one (`load --batch`). */
  batched?: boolean;
  rejectsDir?: string;
  listener?: RunListener;
}

export interface LoadTotals {
  tweets: number;
  rejects: number;
  /** Wall-clock seconds of the whole run (setup and view refresh included). */
  seconds: number;
  tweetsPerSecond: number;
  failed: number;
}

export interface LoadRunResult {
  files: FileReport[];
  totals: LoadTotals;
}

/** Every (database, file) pair, database by database, files in the given order. */
export function planTasks(options: LoadRunOptions): LoadTask[] {
  return options.dbs.flatMap((db) =>
    options.files.map((file) => {
      const task: LoadTask = { file, db, url: options.targets[db], batchSize: options.batchSize };
      if (options.rejectsDir !== undefined) task.rejectsDir = options.rejectsDir;
      if (options.batched) task.batched = true;
      return task;
    }),
  );
}

export function totalsOf(files: readonly FileReport[], seconds: number): LoadTotals {
  const tweets = files.reduce((n, f) => n + f.tweets, 0);
  return {
    tweets,
    rejects: files.reduce((n, f) => n + f.rejects, 0),
    seconds,
    tweetsPerSecond: seconds > 0 ? tweets / seconds : 0,
    failed: files.filter((f) => f.status === "failed").length,
  };
}

/**
 * Loads every file into every chosen database: loader setup once per database, then the
 * files sequentially or on a worker pool, then the materialized views are refreshed.
 * A file that fails is reported, not thrown; a database that cannot be set up throws.
 */
export async function runLoad(options: LoadRunOptions): Promise<LoadRunResult> {
  const started = performance.now();
  for (const db of options.dbs) {
    const setup = loaderFor(db, options.batched).setup;
    if (setup) await withClient(options.targets[db], (client) => setup(client));
  }
  const tasks = planTasks(options);
  const jobs = Math.max(1, Math.min(options.jobs, tasks.length));
  const files =
    options.jobs <= 1
      ? await runSequential(tasks, options.listener)
      : await runPool(tasks, jobs, options.listener);
  for (const db of options.dbs) {
    if (files.some((f) => f.db === db && f.status === "loaded")) {
      await withClient(options.targets[db], (client) => refreshMaterializedViews(client));
    }
  }
  return { files, totals: totalsOf(files, (performance.now() - started) / 1000) };
}
