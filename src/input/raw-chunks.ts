import { type SourceMember, sourceMembers } from "./chunk-source.js";
import { inputError } from "./input-error.js";
import { elementLine, jsonArrayElements } from "./json-array.js";
import { costlyLineReject, lineCostError, mayCostTooMuch } from "./line-cost.js";
import { DamageGuard, damageReject } from "./member-damage.js";
import { openMember } from "./open-member.js";
import { DEFAULT_MAX_LINE_BYTES, type LongLine, lineOrLong, PendingLine } from "./pending-line.js";
import { longLineReject } from "./refused-lines.js";
import type { InputLine, InputOptions } from "./types.js";

/**
 * A run of complete, non-blank lines as bytes, each line ending in `\n` without `\r`.
 * `lineNos[i]` is the member line number of the chunk's i-th line. `bad` holds lines the
 * input rules out (longer than the limit), which are not in `data`.
 */
export interface RawChunk {
  file: string;
  member: string | null;
  data: Buffer;
  lineNos: number[];
  bad?: InputLine[];
}

/** Yield size: big enough for few writes, small enough that nothing lingers in memory. */
const TARGET_BYTES = 64 * 1024;

const NL = 10;
const CR = 13;
// Byte sequences that mean a blank line, a whitespace-only line or a \r: the slow path.
const SUSPICIOUS_BYTES = [
  Buffer.from("\n\n"),
  Buffer.from("\n "),
  Buffer.from("\n\t"),
  Buffer.from("\r"),
];
const NEWLINE = Buffer.from("\n");
const NOTHING = Buffer.alloc(0);

function needsCleaning(b: Buffer): boolean {
  const first = b[0];
  if (first === NL || first === CR || first === 32 || first === 9) return true;
  return SUSPICIOUS_BYTES.some((s) => b.indexOf(s) !== -1);
}

/**
 * Complete lines of `bytes` (ending in \n) as a chunk. Clean bytes pass through untouched;
 * otherwise blank lines go, `\r` before `\n` is removed and lines over `max` bytes are
 * set apart in `bad`, line by line.
 */
function toChunk(
  file: string,
  member: string | null,
  bytes: Buffer,
  firstLineNo: number,
  max: number,
  longLines?: Map<number, LongLine>,
): { chunk: RawChunk; lines: number } {
  let n = firstLineNo;
  if (!longLines && !needsCleaning(bytes)) {
    const lineNos: number[] = [];
    let longest = 0;
    for (let i = bytes.indexOf(NL), prev = -1; i !== -1; prev = i, i = bytes.indexOf(NL, i + 1)) {
      lineNos.push(n++);
      if (i - prev - 1 > longest) longest = i - prev - 1;
    }
    if (longest <= max && !mayCostTooMuch(longest, max)) {
      return { chunk: { file, member, data: bytes, lineNos }, lines: n - firstLineNo };
    }
    n = firstLineNo;
  }
  const parts: Buffer[] = [];
  const lineNos: number[] = [];
  const bad: InputLine[] = [];
  let start = 0;
  for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, start)) {
    let end = i;
    if (end > start && bytes[end - 1] === CR) end--;
    const line = bytes.subarray(start, end);
    const long = longLines?.get(n);
    const costly = long || line.length > max ? null : lineCostError(line, 0, line.length, max);
    if (long) {
      bad.push(longLineReject({ file, member, lineNo: n }, long, max));
    } else if (line.length > max) {
      bad.push(longLineReject({ file, member, lineNo: n }, lineOrLong(line, max) as LongLine, max));
    } else if (costly !== null) {
      bad.push(costlyLineReject({ file, member, lineNo: n }, line, costly));
    } else if (line.some((c) => c !== 32 && c !== 9)) {
      // Blank = only spaces and tabs (\r already gone); JSON never starts with them alone.
      parts.push(line, NEWLINE);
      lineNos.push(n);
    }
    n++;
    start = i + 1;
  }
  const data = Buffer.concat(parts);
  return { chunk: { file, member, data, lineNos, bad }, lines: n - firstLineNo };
}

/** A member of JSON lines as chunks; a line over `max` bytes is never held whole. */
async function* lineChunks(
  file: string,
  entry: SourceMember,
  chunks: AsyncIterable<Buffer>,
  max: number,
): AsyncGenerator<RawChunk> {
  const member = entry.name;
  let lineNo = entry.firstLineNo ?? 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bad: InputLine[] = [];
  const carry = new PendingLine(max);
  // A damaged tar member ends early: its complete lines load, the rest is one reject.
  const guarded = new DamageGuard(chunks);
  // Everything pending as one chunk, or null when it holds nothing.
  const cut = (): RawChunk | null => {
    const bytes = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    const { chunk, lines } = toChunk(file, member, bytes, lineNo, max, entry.longLines);
    lineNo += lines;
    chunk.bad = bad.concat(chunk.bad ?? []);
    bad = [];
    return chunk.lineNos.length > 0 || chunk.bad.length > 0 ? chunk : null;
  };
  // A line that ran over the limit: lines before it are cut first, so its number is known.
  const longLine = function* (line: LongLine) {
    const chunk = cut();
    if (chunk) yield chunk;
    bad.push(longLineReject({ file, member, lineNo }, line, max));
    lineNo++;
  };
  for await (const piece of guarded) {
    const last = piece.lastIndexOf(NL);
    if (last === -1) {
      carry.add(piece);
      continue;
    }
    let from = 0;
    if (carry.bytes > 0) {
      const first = piece.indexOf(NL);
      const line = carry.finish(piece.subarray(0, first));
      if (Buffer.isBuffer(line)) {
        pending.push(line);
        pendingBytes += line.length;
        from = first;
      } else {
        yield* longLine(line);
        from = first + 1;
      }
    }
    if (from <= last) {
      pending.push(piece.subarray(from, last + 1));
      pendingBytes += last + 1 - from;
    }
    carry.add(piece.subarray(last + 1));
    if (pendingBytes >= TARGET_BYTES) {
      const chunk = cut();
      if (chunk) yield chunk;
    }
  }
  if (carry.bytes > 0 && !guarded.damage) {
    const line = carry.finish(NOTHING);
    if (Buffer.isBuffer(line)) pending.push(line, NEWLINE);
    else yield* longLine(line);
  }
  const chunk = cut();
  if (chunk) yield chunk;
  if (guarded.damage) {
    const bad = [damageReject({ file, member, lineNo }, guarded.damage)];
    yield { file, member, data: NOTHING, lineNos: [], bad };
  }
}

/** A member holding one JSON array as chunks, one element per line. */
async function* arrayChunks(
  file: string,
  member: string | null,
  chunks: AsyncIterable<Buffer>,
  max: number,
): AsyncGenerator<RawChunk> {
  let parts: Buffer[] = [];
  let lineNos: number[] = [];
  let bad: InputLine[] = [];
  let bytes = 0;
  const guarded = new DamageGuard(chunks);
  let lastElement = 0;
  for await (const elements of jsonArrayElements(guarded, max)) {
    lastElement = elements.at(-1)?.lineNo ?? lastElement;
    for (const element of elements) {
      const { value } = element;
      if (
        Buffer.isBuffer(value) &&
        element.error === undefined &&
        lineCostError(value, 0, value.length, max) === null
      ) {
        parts.push(value, NEWLINE);
        lineNos.push(element.lineNo);
        bytes += value.length + 1;
      } else bad.push(elementLine({ file, member, lineNo: element.lineNo }, element, max, false));
    }
    if (bytes >= TARGET_BYTES || bad.length > 0) {
      yield { file, member, data: Buffer.concat(parts), lineNos, bad };
      parts = [];
      lineNos = [];
      bad = [];
      bytes = 0;
    }
  }
  if (guarded.damage) {
    bad.push(damageReject({ file, member, lineNo: lastElement + 1 }, guarded.damage));
  }
  if (lineNos.length > 0 || bad.length > 0) {
    yield { file, member, data: Buffer.concat(parts), lineNos, bad };
  }
}

/**
 * Streams an archive's lines as raw byte chunks for COPY: no decoding or re-encoding, so the
 * client spends almost nothing per byte; only chunks holding blank lines, `\r` or a line
 * over `maxLineBytes` are rewritten. A file holding one JSON array gives its elements, one
 * line each. Bytes are not checked for UTF-8 here (PostgreSQL checks them). Errors name
 * the file, as readLineBatches does.
 */
export async function* readRawChunks(
  file: string,
  options: InputOptions = {},
): AsyncGenerator<RawChunk> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let member: string | null = null;
  try {
    for await (const entry of sourceMembers(file, options)) {
      member = entry.name;
      if (entry.skipped !== undefined) {
        options.onSkippedMember?.({ name: entry.name ?? file, reason: entry.skipped });
        continue;
      }
      const { array, chunks } = await openMember(entry);
      yield* array ? arrayChunks(file, member, chunks, max) : lineChunks(file, entry, chunks, max);
    }
  } catch (error) {
    throw inputError(file, member, error);
  }
}
