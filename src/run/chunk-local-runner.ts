import { loadChunk } from "./chunk-task.js";
import type { ChunkRunner } from "./chunked-file.js";
import { Gate } from "./gate.js";
import type { SessionCache } from "./sessions.js";

/**
 * A ChunkRunner on the calling thread and its sessions, one chunk at a time: how a
 * whole-file load (sequential, or one file on a worker) finishes a file that a load in
 * chunks began. `onCommitted` gets the file's tweets in committed chunks (those committed
 * before, `committedBefore`, included) as each chunk commits: the pool reports them if
 * the thread dies.
 */
export function localChunkRunner(
  sessions: SessionCache,
  options: {
    onProgress(tweets: number): void;
    onCommitted(tweets: number): void;
    committedBefore: number;
    signal?: AbortSignal | undefined;
  },
): ChunkRunner {
  let committed = options.committedBefore;
  return {
    gate: new Gate(1),
    listener: (event) => {
      if (event.type === "progress") options.onProgress(event.tweets);
    },
    signal: options.signal,
    run: async (task, work, onProgress) => {
      const report = await loadChunk(sessions, task, work, onProgress, options.signal);
      if (report.status === "loaded") {
        committed += report.tweets;
        options.onCommitted(committed);
      }
      return report;
    },
  };
}
