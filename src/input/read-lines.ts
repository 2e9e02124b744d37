import { isUtf8 } from "node:buffer";
import { sourceMembers } from "./chunk-source.js";
import { inputError } from "./input-error.js";
import { elementLine, jsonArrayElements } from "./json-array.js";
import { costlyLineReject, lineCostError } from "./line-cost.js";
import { DamageGuard, damageReject } from "./member-damage.js";
import { READ_BATCH_BYTES } from "./memory-bounds.js";
import { openMember } from "./open-member.js";
import { DEFAULT_MAX_LINE_BYTES, type LongLine, lineOrLong, PendingLine } from "./pending-line.js";
import { longLineReject, notUtf8Reject } from "./refused-lines.js";
import type { InputLine, InputOptions } from "./types.js";

export interface ReadLinesOptions extends InputOptions {
  /** Most lines per yielded batch (default 100: bigger batches outlive young-generation GCs and grow the heap). */
  batchLines?: number;
  /**
   * Lines without a `\u` escape come as byte strings (InputLine.byteString): one character
   * per byte, far cheaper to make than decoded text. For JSON parsers that decode the
   * strings they take (tweetToRowsOfBytes in line-to-tweets.ts).
   */
  byteStrings?: boolean;
}

const NEWLINE = 0x0a;
const BOM = "\ufeff";
const ESCAPE = Buffer.from("\\u");
const NOTHING = Buffer.alloc(0);

/**
 * Streams the non-blank lines of an archive (zip members in name order, or a plain or
 * gzip file) in batches, each line with its file, member and line number (a batch may hold
 * lines of several members). A trailing `\r`
 * is removed, and so is a byte order mark at the start of a member. A file that holds one
 * JSON array yields its elements instead, one line each. Memory stays constant: one
 * chunk, one batch and at most one line of `maxLineBytes` are held at a time. A line that
 * is not UTF-8 or is too long comes with `error` set (the loaders reject it); a corrupt
 * archive or an unreadable file throws an InputError that names the file.
 */
export async function* readLineBatches(
  file: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<InputLine[]> {
  const batchLines = options.batchLines ?? 100;
  const byteStrings = options.byteStrings ?? false;
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let member: string | null = null;
  // A batch goes on across members: a zip of one-tweet members made a batch of each tweet,
  // and every loader's per-batch work was done 10,000 times.
  let batch: InputLine[] = [];
  let batchBytes = 0;
  // Handed on at batchLines lines or READ_BATCH_BYTES of text, whichever comes first,
  // so that a batch holds at most one long line (see memory-bounds.ts).
  const full = () => batch.length >= batchLines || batchBytes >= READ_BATCH_BYTES;
  const take = () => {
    const out = batch;
    batch = [];
    batchBytes = 0;
    return out;
  };
  try {
    for await (const entry of sourceMembers(file, options)) {
      member = entry.name;
      if (entry.skipped !== undefined) {
        options.onSkippedMember?.({ name: entry.name ?? file, reason: entry.skipped });
        continue;
      }
      const { array, chunks: opened } = await openMember(entry);
      // A damaged tar member ends its lines early; the rest of it is one reject (below).
      const chunks = new DamageGuard(opened);
      let lastElement = 0;
      const where = (lineNo: number) => ({ file, member: entry.name, lineNo });
      // A chunk starts mid-member; its over-long lines come as marks (chunk-source.ts).
      let lineNo = (entry.firstLineNo ?? 1) - 1;
      const longLines = entry.longLines;
      // A byte string is only made of a line that starts with a byte above 32 (so it is
      // neither blank nor a BOM) and has no escape.
      const push = (raw: string, byteString: boolean) => {
        let text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        batchBytes += text.length;
        if (byteString) {
          batch.push({ file, member: entry.name, lineNo, text, byteString: true });
          return;
        }
        if (lineNo === 1 && text.startsWith(BOM)) text = text.slice(1);
        if (text.charCodeAt(0) > 32 || text.trim() !== "") {
          batch.push({ file, member: entry.name, lineNo, text });
        }
      };
      const tooLong = (line: LongLine) => batch.push(longLineReject(where(lineNo), line, max));
      // Whole lines only, so that no UTF-8 sequence is cut: a newline byte is never part
      // of one. Checking a chunk at once is far cheaper than a TextDecoder; only a chunk
      // that fails is checked line by line. Each line is decoded on its own: a line sliced
      // from a decoded chunk would keep the whole chunk's string (up to 128 KB, which V8
      // may put in large-object space) alive with it.
      const pushLines = (bytes: Buffer) => {
        const utf8 = isUtf8(bytes);
        let start = 0;
        let nextEscape = byteStrings ? bytes.indexOf(ESCAPE) : -1;
        for (;;) {
          const found = bytes.indexOf(NEWLINE, start);
          const end = found === -1 ? bytes.length : found;
          lineNo++;
          if (nextEscape !== -1 && nextEscape < start) nextEscape = bytes.indexOf(ESCAPE, start);
          const first = bytes[start] ?? 0;
          const long = longLines?.get(lineNo);
          const costly = long || end - start > max ? null : lineCostError(bytes, start, end, max);
          if (long) {
            tooLong(long);
          } else if (end - start > max) {
            tooLong(lineOrLong(bytes.subarray(start, end), max) as LongLine);
          } else if (costly !== null) {
            batch.push(costlyLineReject(where(lineNo), bytes.subarray(start, end), costly));
          } else if (!utf8 && !isUtf8(bytes.subarray(start, end))) {
            batch.push(notUtf8Reject(where(lineNo), bytes.subarray(start, end)));
          } else {
            // Blank lines, leading white space and a member's BOM go the careful way.
            const asBytes =
              byteStrings &&
              (nextEscape === -1 || nextEscape >= end) &&
              first > 32 &&
              !(lineNo === 1 && first === 0xef);
            push(bytes.toString(asBytes ? "latin1" : "utf8", start, end), asBytes);
          }
          if (found === -1) break;
          start = found + 1;
        }
      };
      const finish = (line: Buffer | LongLine) => {
        if (Buffer.isBuffer(line)) pushLines(line);
        else {
          lineNo++;
          tooLong(line);
        }
      };
      if (array) {
        for await (const elements of jsonArrayElements(chunks, max)) {
          lastElement = elements.at(-1)?.lineNo ?? lastElement;
          for (const element of elements) {
            const line = elementLine(where(element.lineNo), element, max, byteStrings);
            batch.push(line);
            batchBytes += line.text.length;
            if (full()) yield take();
          }
        }
      } else {
        const pending = new PendingLine(max);
        for await (const bytes of chunks) {
          const first = bytes.indexOf(NEWLINE);
          if (first === -1) {
            pending.add(bytes);
            continue;
          }
          // Only the line that started in earlier chunks is copied to be joined.
          let start = 0;
          if (pending.bytes > 0) {
            finish(pending.finish(bytes.subarray(0, first)));
            start = first + 1;
            // A line that ran over several chunks goes on alone, before the lines after it.
            if (full()) yield take();
          }
          const last = bytes.lastIndexOf(NEWLINE);
          if (start <= last) pushLines(bytes.subarray(start, last));
          pending.add(bytes.subarray(last + 1));
          if (full()) yield take();
        }
        if (pending.bytes > 0 && !chunks.damage) finish(pending.finish(NOTHING));
      }
      if (chunks.damage) {
        batch.push(damageReject(where(array ? lastElement + 1 : lineNo + 1), chunks.damage));
      }
      if (full()) yield take();
    }
    if (batch.length > 0) yield batch;
  } catch (error) {
    throw inputError(file, member, error);
  }
}

/** The same lines one at a time; convenient where speed does not matter. */
export async function* readLines(
  file: string,
  options?: ReadLinesOptions,
): AsyncGenerator<InputLine> {
  for await (const batch of readLineBatches(file, options)) yield* batch;
}
