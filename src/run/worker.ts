import { setTimeout as sleep } from "node:timers/promises";
import { workerData } from "node:worker_threads";
import { announceBackendsOn } from "../db/backends.js";
import { trace } from "../report/trace.js";
import { loadChunk } from "./chunk-task.js";
import type { ChunkReport } from "./chunk-types.js";
import { loadTask } from "./load-task.js";
import { SessionCache } from "./sessions.js";
import type { FileReport } from "./types.js";
import type { PoolWorkerData, WorkerMessage } from "./worker-messages.js";

// One per worker thread: its connections live across the files it is given.
const sessions = new SessionCache();

// Tells the pool that this thread's modules are loaded, so that it may terminate it (see
// pool.ts). Not during this module's evaluation: piscina's require() of it still has a step
// to go, and terminating the thread in that step aborts Node 20 too. A microtask runs once
// that require() has returned (a timer would not: an idle worker blocks in Atomics.wait).
const { loaded, backends } = (workerData ?? {}) as Partial<PoolWorkerData>;
if (backends) announceBackendsOn(backends);
trace("worker modules loaded");
if (loaded) queueMicrotask(() => Atomics.add(new Int32Array(loaded), 0, 1));

/**
 * Piscina entry (compiled to dist/run/worker.js). A "close" message waits until every
 * worker holds one, so each worker receives exactly one and closes its own connections.
 */
export default async function run(
  message: WorkerMessage,
): Promise<FileReport | ChunkReport | null> {
  if (message.kind === "close") {
    const count = new Int32Array(message.barrier);
    Atomics.add(count, 0, 1);
    const deadline = Date.now() + 5000;
    while (Atomics.load(count, 0) < message.workers && Date.now() < deadline) await sleep(10);
    await sessions.closeAll();
    return null;
  }
  const { task, progress } = message;
  progress.postMessage(0); // tells the main thread the file has started
  const onProgress = (tweets: number) => progress.postMessage(tweets);
  try {
    if (message.kind === "chunk") return await loadChunk(sessions, task, message.work, onProgress);
    return await loadTask(sessions, task, onProgress);
  } finally {
    progress.close();
  }
}
