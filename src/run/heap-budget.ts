import { constants } from "node:buffer";
import { getHeapStatistics } from "node:v8";
import { UserError } from "../errors.js";
import { LINE_COST_FACTOR, lineCostLimit } from "../input/line-cost.js";
import { DEFAULT_MAX_LINE_BYTES } from "../input/pending-line.js";

const MB = 1024 * 1024;

/** Heap room for reading one line of --max-line-bytes `max` at its worst (line-cost.ts), in MB. */
export const lineRoomMb = (max: number): number => Math.ceil(lineCostLimit(max) / MB);

/**
 * Heap limits of each worker. Batches outlive young-generation GCs, so without limits V8
 * grows every worker's heap towards 100 MB and ten workers passed 900 MB. A large young
 * generation saves GC time: one or two workers (one per core on a small machine) get 48 MB
 * each, which cut a worker's GC time from 1.2 s to 0.9 s per 50,000 tweets against 16 MB.
 * Wider pools share 64 MB (16 MB at most each), so that ten workers stay under 512 MB
 * (ten with 9 MB each reached 518 MB). The old generation grows with the batch size it
 * must hold, and has room for the longest line a worker may have to read: eight lines of
 * 15 MB, each within the 16 MiB default, killed workers of the 84 MB they had.
 */
export function workerHeapLimits(
  jobs: number,
  batchSize: number,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
) {
  return {
    maxYoungGenerationSizeMb: jobs <= 2 ? 48 : Math.max(4, Math.min(16, Math.floor(64 / jobs))),
    maxOldGenerationSizeMb: 64 + Math.ceil(batchSize / 50) + lineRoomMb(maxLineBytes),
  };
}

/**
 * The old generation each worker starts with, in MB (0: V8's default). V8 starts a heap's
 * old generation small and raises its limit step by step, each step after a full GC: a
 * worker of two ran some 25 full GCs per 50,000 tweets. Starting at 40 MB cut the client's
 * CPU by about a tenth and the parallel load's time by 0.5 s, for 15 MB more memory; wider
 * pools keep the default, so that ten workers stay under 512 MB.
 */
export const workerInitialOldGenerationMb = (jobs: number): number => (jobs <= 2 ? 40 : 0);

/** What the main thread needs besides one line: its modules, the pool, the chunks it cuts. */
const MAIN_THREAD_MB = 128;

/**
 * Refuses a --max-line-bytes whose lines no thread could be sure to read: one that V8
 * cannot hold as one string, or whose worst line (LINE_COST_FACTOR times its size) does
 * not fit in the heap this Node.js gives a thread (V8 sizes it from the machine's memory;
 * a worker gets no more than the main thread has). A line that would not fit is then a
 * reject (line-cost.ts), never a thread out of memory.
 */
export function requireHeapForLines(maxLineBytes: number): void {
  if (maxLineBytes > constants.MAX_STRING_LENGTH) {
    throw new UserError(
      `--max-line-bytes ${maxLineBytes} is more than the longest string Node.js can make (${constants.MAX_STRING_LENGTH} characters): give at most that`,
      2,
    );
  }
  const heapMb = Math.floor(getHeapStatistics().heap_size_limit / MB);
  const needMb = MAIN_THREAD_MB + lineRoomMb(maxLineBytes);
  if (needMb > heapMb) {
    const most = Math.floor(((heapMb - MAIN_THREAD_MB) * MB) / LINE_COST_FACTOR);
    throw new UserError(
      `--max-line-bytes ${maxLineBytes} lets one line take up to ${lineRoomMb(maxLineBytes)} MB of memory to read (JSON takes up to ${LINE_COST_FACTOR} times its size once parsed), and a thread of this Node.js has ${heapMb} MB of heap: give at most --max-line-bytes ${Math.max(0, most)}, or more heap (NODE_OPTIONS=--max-old-space-size=${needMb + 256})`,
      2,
    );
  }
}
