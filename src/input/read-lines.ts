import { isUtf8 } from "node:buffer";
import { archiveMembers } from "./archive-members.js";
import { inputError } from "./input-error.js";
import type { InputLine } from "./types.js";

export interface ReadLinesOptions {
  /** Most lines per yielded batch (default 100: bigger batches outlive young-generation GCs and grow the heap). */
  batchLines?: number;
  /**
   * Lines without a `\u` escape come as byte strings (InputLine.byteString): one character
   * per byte, far cheaper to make than decoded text. For JSON parsers that decode the
   * strings they take (tweetToRowsOfBytes).
   */
  byteStrings?: boolean;
}

const NEWLINE = 0x0a;
const BOM = "\ufeff";
const ESCAPE = Buffer.from("\\u");

/**
 * Streams the non-blank lines of an archive (zip members in name order, or a plain or
 * gzip file) in batches, each line with its file, member and line number. A trailing `\r`
 * is removed, and so is a byte order mark at the start of a member. Memory stays constant:
 * only one chunk (plus the bytes of a line that spans chunks) and one batch are held at a
 * time. Bytes that are not UTF-8, a corrupt archive or an unreadable file throw an
 * InputError that names the file (and the line, for bytes that are not UTF-8).
 */
export async function* readLineBatches(
  file: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<InputLine[]> {
  const batchLines = options.batchLines ?? 100;
  const byteStrings = options.byteStrings ?? false;
  let member: string | null = null;
  try {
    for await (const entry of archiveMembers(file)) {
      member = entry.name;
      let batch: InputLine[] = [];
      // Bytes after the last newline seen: the start of a line that goes on in later chunks.
      let pending: Buffer[] = [];
      let lineNo = 0;
      // A byte string is only made of a line that starts with a byte above 32 (so it is
      // neither blank nor a BOM) and has no escape.
      const push = (raw: string, byteString: boolean) => {
        lineNo++;
        let text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (byteString) {
          batch.push({ file, member: entry.name, lineNo, text, byteString: true });
          return;
        }
        if (lineNo === 1 && text.startsWith(BOM)) text = text.slice(1);
        if (text.charCodeAt(0) > 32 || text.trim() !== "")
          batch.push({ file, member: entry.name, lineNo, text });
      };
      // Whole lines only, so that no UTF-8 sequence is cut: a newline byte is never part
      // of one. Checking a chunk at once is far cheaper than a TextDecoder. Each line is
      // decoded on its own: a line sliced from a decoded chunk would keep the whole chunk's
      // string (up to 128 KB, which V8 may put in large-object space) alive with it.
      const pushLines = (bytes: Buffer) => {
        if (!isUtf8(bytes)) throw notUtf8(bytes, lineNo);
        let start = 0;
        let nextEscape = byteStrings ? bytes.indexOf(ESCAPE) : -1;
        for (;;) {
          const found = bytes.indexOf(NEWLINE, start);
          const end = found === -1 ? bytes.length : found;
          if (nextEscape !== -1 && nextEscape < start) nextEscape = bytes.indexOf(ESCAPE, start);
          const first = bytes[start] ?? 0;
          // Blank lines, leading white space and a member's BOM go the careful way.
          const asBytes =
            byteStrings &&
            (nextEscape === -1 || nextEscape >= end) &&
            first > 32 &&
            !(lineNo === 0 && first === 0xef);
          push(bytes.toString(asBytes ? "latin1" : "utf8", start, end), asBytes);
          if (found === -1) break;
          start = found + 1;
        }
      };
      for await (const chunk of await entry.open()) {
        const bytes = chunk as Buffer;
        const first = bytes.indexOf(NEWLINE);
        if (first === -1) {
          pending.push(bytes);
          continue;
        }
        // Only the line that started in earlier chunks is copied to be joined.
        let start = 0;
        if (pending.length > 0) {
          pushLines(Buffer.concat([...pending, bytes.subarray(0, first)]));
          start = first + 1;
        }
        const last = bytes.lastIndexOf(NEWLINE);
        if (start <= last) pushLines(bytes.subarray(start, last));
        pending = last + 1 < bytes.length ? [bytes.subarray(last + 1)] : [];
        if (batch.length >= batchLines) {
          yield batch;
          batch = [];
        }
      }
      const tail = Buffer.concat(pending);
      if (tail.length > 0) pushLines(tail);
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    throw inputError(file, member, error);
  }
}

/** The error for `bytes` that are not all UTF-8: names the first bad line after `linesBefore`. */
function notUtf8(bytes: Buffer, linesBefore: number): Error {
  let line = linesBefore;
  let start = 0;
  for (;;) {
    line++;
    const nl = bytes.indexOf(NEWLINE, start);
    const end = nl === -1 ? bytes.length : nl;
    if (!isUtf8(bytes.subarray(start, end)) || nl === -1) break;
    start = nl + 1;
  }
  return new Error(`line ${line} is not UTF-8 text; convert the file to UTF-8 (iconv -t utf-8)`);
}

/** The same lines one at a time; convenient where speed does not matter. */
export async function* readLines(
  file: string,
  options?: ReadLinesOptions,
): AsyncGenerator<InputLine> {
  for await (const batch of readLineBatches(file, options)) yield* batch;
}
