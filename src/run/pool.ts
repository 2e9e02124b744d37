import { existsSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { cancelBackends, listenToPool } from "../db/backends.js";
import { projectPath } from "../paths.js";
import type { ChunkReport } from "./chunk-types.js";
import { type ChunkRunner, startChunkedFile } from "./chunked-file.js";
import { tweetsInDatabase } from "./committed-count.js";
import { Gate } from "./gate.js";
import { workerHeapLimits, workerInitialOldGenerationMb } from "./heap-budget.js";
import { unfinished } from "./outcome.js";
import { type FileReport, type LoadTask, notStarted, type RunListener } from "./types.js";
import type { PoolWorkerData, WorkerMessage } from "./worker-messages.js";

/**
 * Worker threads take their heap limits from resourceLimits, which has no initial size;
 * V8 reads this flag when it creates a worker's heap, so it is set before every pool.
 */
function configureWorkerHeaps(jobs: number): void {
  setFlagsFromString(`--initial-old-space-size=${workerInitialOldGenerationMb(jobs)}`);
}

/**
 * The report of a task whose worker died (or was stopped by Ctrl-C): its open transaction
 * rolled back, so what remains is what a loader that commits as it goes had committed,
 * which the database tells once the worker's backend is gone.
 */
async function crashReport(task: LoadTask, error: unknown, interrupted: boolean) {
  const reason = error instanceof Error ? error.message : String(error);
  const slots = task.committed ? new Int32Array(task.committed) : undefined;
  const acked = slots ? Atomics.load(slots, 0) : 0;
  const pid = slots ? Atomics.load(slots, 1) : 0;
  const committed =
    pid === 0 ? acked : await tweetsInDatabase(task.url, task.file, pid).catch(() => acked);
  const cause = interrupted ? "interrupted" : `the worker loading it stopped (${reason})`;
  return { ...notStarted(task), ...unfinished(committed, cause) } satisfies FileReport;
}

/** Workers for a load, started by `startWorkerPool` before the run needs them. */
export interface WorkerPool {
  /** Runs the tasks, one per worker at a time; once per pool. */
  run(
    tasks: readonly LoadTask[],
    listener?: RunListener,
    signal?: AbortSignal,
  ): Promise<FileReport[]>;
  /** Stops the workers; safe to call more than once. */
  destroy(): Promise<void>;
  /**
   * Cancels on the server what the workers' connections run (after `destroy`, a stopped
   * worker's statements); returns how many backends were asked.
   */
  cancelQueries(): Promise<number>;
}

let pools = 0;

/**
 * Waits until `jobs` workers have loaded their modules (at most 15 s). Node 20 can abort the
 * whole process ("IsGraphAsync must be used on an instantiated module") when a worker is
 * terminated while it loads them, as when a load fails at once on a bad URL.
 */
async function workersLoaded(loaded: SharedArrayBuffer, jobs: number): Promise<void> {
  const count = new Int32Array(loaded);
  const deadline = Date.now() + 15_000;
  while (Atomics.load(count, 0) < jobs && Date.now() < deadline) await sleep(5);
}

/**
 * Workers a load of `tasks` tasks uses: --jobs, but no more than there are tasks unless
 * its files load in chunks (then every worker has work, whatever the number of files).
 */
export const poolSize = (jobs: number, tasks: number, chunked = false): number =>
  Math.max(1, chunked ? jobs : Math.min(jobs, tasks));

/**
 * Starts `jobs` worker threads at once: each takes some 100 ms to load its modules, which
 * then overlaps with the main thread's own start-up (imports, listing the files, checking
 * the databases) instead of following it. The worker is the compiled dist/run/worker.js
 * (also when the caller runs from src under vitest): build first. `entry` replaces it with
 * a module that wraps it (the fault tests inject a crash that way). Each worker's heap has
 * room for the longest line of `maxLineBytes` (heap-budget.ts): give the load's.
 */
export function startWorkerPool(
  jobs: number,
  batchSize: number,
  options: { entry?: string; maxLineBytes?: number | undefined } = {},
): WorkerPool {
  const filename = options.entry ?? projectPath("dist", "run", "worker.js");
  if (!existsSync(filename)) {
    throw new Error(`${filename} is missing: run \`npm run build\` before a parallel load`);
  }
  configureWorkerHeaps(jobs);
  const backends = `tweetload backends of pool ${++pools}`;
  const stopListening = listenToPool(backends);
  const loaded = new SharedArrayBuffer(4);
  const pool = new Piscina<WorkerMessage, FileReport | null>({
    filename,
    workerData: { loaded, backends } satisfies PoolWorkerData,
    minThreads: jobs,
    maxThreads: jobs,
    concurrentTasksPerWorker: 1,
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: workerHeapLimits(jobs, batchSize, options.maxLineBytes),
  });
  let destroyed: Promise<void> | undefined;
  const destroy = () => {
    destroyed ??= workersLoaded(loaded, jobs)
      .then(() => pool.destroy())
      .finally(stopListening);
    return destroyed;
  };
  return {
    run: (tasks, listener, signal) => runOnPool(pool, jobs, destroy, tasks, listener, signal),
    destroy,
    cancelQueries: () => cancelBackends(backends),
  };
}

/**
 * Runs the tasks on the pool, one task per worker at a time, each worker with its own
 * connection per database; at the end every worker closes its connections.
 */
async function runOnPool(
  pool: Piscina<WorkerMessage, FileReport | null>,
  jobs: number,
  destroy: () => Promise<void>,
  tasks: readonly LoadTask[],
  listener: RunListener = () => {},
  signal?: AbortSignal,
): Promise<FileReport[]> {
  // Ctrl-C: terminating the workers closes their connections, so PostgreSQL rolls back
  // the files in flight; queued tasks are rejected and reported as not started.
  const onAbort = () => {
    void destroy();
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  // One file (or chunk) task per worker at a time. The gate keeps at most two per worker
  // handed out: enough that a worker never waits for the reader, few enough that the
  // chunks held in memory stay bounded whatever the file's size.
  const gate = new Gate(2 * jobs);
  const runner: ChunkRunner = {
    gate,
    listener,
    signal,
    run: (task, work, onProgress) => {
      const { port1, port2 } = new MessageChannel();
      port1.on("message", (tweets: number) => {
        if (tweets > 0) onProgress(tweets);
      });
      return pool
        .run(
          { kind: "chunk", task, work, progress: port2 },
          { transferList: [port2, work.input.data.buffer as ArrayBuffer] },
        )
        .then((r) => r as ChunkReport)
        .finally(() => port1.close());
    },
  };
  const runWhole = async (planned: LoadTask): Promise<FileReport> => {
    // Slot 0: tweets committed (acknowledged); slot 1: the backend's pid (see loadTask).
    const task: LoadTask = { ...planned, committed: new SharedArrayBuffer(8) };
    const { port1, port2 } = new MessageChannel();
    if (signal?.aborted) return notStarted(task);
    let started = false;
    const start = () => {
      if (!started) listener({ type: "start", file: task.file, db: task.db });
      started = true;
    };
    port1.on("message", (tweets: number) => {
      start();
      if (tweets > 0) listener({ type: "progress", file: task.file, db: task.db, tweets });
    });
    try {
      const report = await pool
        .run({ kind: "load", task, progress: port2 }, { transferList: [port2] })
        .then(
          (r) => r as FileReport,
          // Only a dead worker gets here (loadTask itself never throws).
          (error: unknown) =>
            signal?.aborted && !started
              ? notStarted(task)
              : crashReport(task, error, signal?.aborted ?? false),
        );
      start();
      listener({ type: "done", report });
      return report;
    } finally {
      port1.close();
    }
  };
  try {
    // Files are read in order, one at a time; a chunked file's reader goes on to the next
    // file once its last chunk is handed out, while its chunks still load.
    const pending: Promise<FileReport>[] = [];
    for (const planned of tasks) {
      if (signal?.aborted) {
        pending.push(Promise.resolve(notStarted(planned)));
        continue;
      }
      const chunked = planned.chunkLines ? await startChunkedFile(planned, runner) : null;
      if (chunked) {
        pending.push(
          chunked.done.then((report) => {
            listener({ type: "done", report });
            return report;
          }),
        );
        continue;
      }
      await gate.acquire();
      pending.push(runWhole(planned).finally(() => gate.release()));
    }
    const reports = await Promise.all(pending);
    if (signal?.aborted) return reports;
    const barrier = new SharedArrayBuffer(4);
    await Promise.all(
      Array.from({ length: jobs }, () => pool.run({ kind: "close", barrier, workers: jobs })),
    );
    return reports;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}
