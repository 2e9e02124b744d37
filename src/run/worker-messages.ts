import type { MessagePort } from "node:worker_threads";
import type { ChunkWork } from "./chunk-types.js";
import type { LoadTask } from "./types.js";

// What the pool (main thread) and its workers say to each other, in a module both import so
// that neither imports the other.

/**
 * A pool message: load one file, or one chunk of a file, or (once per worker, at the end)
 * close the connections.
 */
export type WorkerMessage =
  | { kind: "load"; task: LoadTask; progress: MessagePort }
  | { kind: "chunk"; task: LoadTask; work: ChunkWork; progress: MessagePort }
  | { kind: "close"; barrier: SharedArrayBuffer; workers: number };

/**
 * What each worker gets as workerData: `loaded` counts the workers that loaded their
 * modules; `backends` names the channel on which they announce their connections.
 */
export interface PoolWorkerData {
  loaded: SharedArrayBuffer;
  backends: string;
}
