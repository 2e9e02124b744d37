import type { InputLine } from "./types.js";

// How a load keeps its memory bounded by its configuration (--max-line-bytes, --jobs,
// --batch-size, --chunk-lines) whatever the input holds. Counting lines alone was not
// enough: a batch of 100 lines, a pipeline of 8 tweets, a COPY batch of 1,000 tweets or a
// chunk of 2,000 lines is a few MB of ordinary tweets but gigabytes of lines near the
// 16 MiB limit, and eight 15 MB lines in a row killed a worker ("JS heap out of memory"),
// or, when V8 ran out of heap while it accounted a Buffer, the whole process (SIGABRT).
// So each stage is also cut by bytes, and a long line goes through each stage alone:
// - a reader batch: at most READ_BATCH_BYTES of text beside one long line (read-lines.ts);
// - the per-tweet loader's pipeline: at most IN_FLIGHT_BYTES of lines besides the one it
//   sends (normalized-loader.ts);
// - a COPY or staged batch: sent at --batch-size tweets or PENDING_BYTES of lines;
// - a chunk of a file loaded in parallel: --chunk-lines lines or CHUNK_BYTES of lines
//   (chunk-cutter.ts), two per worker in flight;
// and the memory one line can take to be read (parsed, mapped to rows, sent) is bounded
// by line-cost.ts, which every thread's heap has room for (heap-budget.ts).

/** Text a reader batch gathers before it is handed on (ordinary tweets: about 250). */
export const READ_BATCH_BYTES = 1 << 20;

/** Lines the per-tweet loader keeps in flight beside the one it sends (8 tweets: ~40 KB). */
export const IN_FLIGHT_BYTES = 4 << 20;

/** Lines a COPY or staged batch gathers before it is sent (1,000 tweets: ~4 MB). */
export const PENDING_BYTES = 16 << 20;

/** The characters of some lines' text: what they hold in memory, near enough. */
export function textBytes(lines: readonly InputLine[]): number {
  let n = 0;
  for (const line of lines) n += line.text.length;
  return n;
}
