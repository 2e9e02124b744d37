import type { InputLine } from "./types.js";

// What one line can cost the JavaScript heap of the thread that reads it, and the most it
// may cost. A line's bytes are not its memory: JSON.parse makes an object of 56 bytes out
// of the 3 bytes `{},`, so a 15 MB line of them took 330 MB, where 15 MB of text takes
// 30. A worker that runs out of heap is killed (and when V8 runs out while it accounts a
// Buffer, the whole process aborts), so a line that would not fit must be refused before
// it is parsed. The estimate comes from the line's bytes alone, the same in every loader
// and thread, so that every database rejects the same lines.
//
// The weights bound what was measured: the least worker heap in which one 15 MB line of
// each shape loaded, through the worst of the four loaders, less what a load of ordinary
// tweets needs (11 MB), over the line's bytes (bisecting the old generation of -j 2 workers):
//   shape of the line                     measured  estimated
//   text, ASCII / two-byte (é)              1.6 / 1.9    4.0
//   hashtag objects                         6.1          13.6
//   a v2 page (5,000 tweets, includes)      5.2           7.4
//   `{},` / `[],` repeated                 21.2 / 13.8   46.7
//   integers / floats / "ab" strings        2.4 / 3.7 / 1.6   20 / 12 / 10.4
//   an object of 1.4 million keys           5.9           9.3
// PER_BYTE for every byte (the line as a string, the strings parsed out of it, the rows
// and statements made of them), PER_CONTAINER for each `{` or `[` outside strings (an
// object or array, and its slot), PER_SEPARATOR for each `,` or `:` outside strings (a
// slot, a number, a key).

const PER_BYTE = 4;
const PER_CONTAINER = 96;
const PER_SEPARATOR = 32;

/**
 * The most one line may cost, as a multiple of --max-line-bytes: text and v2 pages up to
 * the limit (4.0 and 7.4) fit; only lines denser in objects and values than any tweet are
 * refused below it.
 */
export const LINE_COST_FACTOR = 8;

/** The heap one line may take to be read (its estimate at most), for --max-line-bytes `max`. */
export const lineCostLimit = (max: number): number => LINE_COST_FACTOR * max;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The estimated heap bytes reading `bytes` (one line of JSON) takes; see the weights above. */
export function lineCost(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let containers = 0;
  let separators = 0;
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (b === QUOTE) {
      // Jump to the closing quote: one not preceded by an odd run of backslashes.
      let close = bytes.indexOf(QUOTE, i + 1);
      while (close !== -1 && close < end) {
        let slashes = 0;
        while (bytes[close - 1 - slashes] === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
        close = bytes.indexOf(QUOTE, close + 1);
      }
      if (close === -1 || close >= end) break;
      i = close + 1;
      continue;
    }
    if (b === 0x7b || b === 0x5b) containers++;
    else if (b === 0x2c || b === 0x3a) separators++;
    i++;
  }
  return PER_BYTE * (end - start) + PER_CONTAINER * containers + PER_SEPARATOR * separators;
}

/**
 * Whether a line of `length` bytes may cost more than the limit: one made of nothing but
 * `[` would cost PER_BYTE + PER_CONTAINER a byte. Shorter lines are not scanned.
 */
export const mayCostTooMuch = (length: number, max: number): boolean =>
  length * (PER_BYTE + PER_CONTAINER) > lineCostLimit(max);

const MB = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * The reason a line is refused for its cost, or null when it fits: the line is within
 * --max-line-bytes but holds so many objects, arrays or values that reading it would take
 * more heap than a line may.
 */
export function lineCostError(
  bytes: Uint8Array,
  start: number,
  end: number,
  max: number,
): string | null {
  if (!mayCostTooMuch(end - start, max)) return null;
  const cost = lineCost(bytes, start, end);
  if (cost <= lineCostLimit(max)) return null;
  return `the line (${MB(end - start)}) holds so many JSON objects, arrays and values that reading it would take about ${MB(cost)} of memory, more than the ${MB(lineCostLimit(max))} a line may take with --max-line-bytes ${max}; its first 1024 bytes are kept here (raise --max-line-bytes, which gives each thread more heap, if it is a real tweet)`;
}

/** The line refused for its cost, keeping its head (as an over-long line does). */
export function costlyLineReject(
  where: Pick<InputLine, "file" | "member" | "lineNo">,
  bytes: Buffer,
  error: string,
): InputLine {
  return { ...where, text: bytes.subarray(0, 1024).toString("utf8"), error };
}
