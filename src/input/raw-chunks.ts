import { archiveMembers } from "./archive-members.js";
import { inputError } from "./input-error.js";

/**
 * A run of complete, non-blank lines as bytes, each line ending in `\n` without `\r`.
 * `lineNos[i]` is the member line number of the chunk's i-th line.
 */
export interface RawChunk {
  file: string;
  member: string | null;
  data: Buffer;
  lineNos: number[];
}

/** Yield size: big enough for few writes, small enough that nothing lingers in memory. */
const TARGET_BYTES = 64 * 1024;

const NL = 10;
const CR = 13;
// Byte sequences that mean a blank line, a whitespace-only line or a \r: the slow path.
const SUSPECT = [Buffer.from("\n\n"), Buffer.from("\n "), Buffer.from("\n\t"), Buffer.from("\r")];

function needsCleaning(b: Buffer): boolean {
  const first = b[0];
  if (first === NL || first === CR || first === 32 || first === 9) return true;
  return SUSPECT.some((s) => b.indexOf(s) !== -1);
}

/**
 * Complete lines of `bytes` (ending in \n) as a chunk. Clean bytes pass through untouched;
 * otherwise blank lines go and `\r` before `\n` is removed, line by line.
 */
function toChunk(
  file: string,
  member: string | null,
  bytes: Buffer,
  firstLineNo: number,
): { chunk: RawChunk; lines: number } {
  if (!needsCleaning(bytes)) {
    const lineNos: number[] = [];
    let n = firstLineNo;
    for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, i + 1)) lineNos.push(n++);
    return { chunk: { file, member, data: bytes, lineNos }, lines: n - firstLineNo };
  }
  const parts: Buffer[] = [];
  const lineNos: number[] = [];
  let n = firstLineNo;
  let start = 0;
  for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, start)) {
    let end = i;
    if (end > start && bytes[end - 1] === CR) end--;
    const line = bytes.subarray(start, end);
    // Blank = only spaces and tabs (\r already gone); JSON never starts with them alone.
    if (line.some((c) => c !== 32 && c !== 9)) {
      parts.push(line, NEWLINE);
      lineNos.push(n);
    }
    n++;
    start = i + 1;
  }
  return { chunk: { file, member, data: Buffer.concat(parts), lineNos }, lines: n - firstLineNo };
}
const NEWLINE = Buffer.from("\n");

/**
 * Streams an archive's lines as raw byte chunks for COPY: no decoding or re-encoding, so the
 * client spends almost nothing per byte; only chunks holding blank lines or `\r` are
 * rewritten. Bytes are not checked for UTF-8 here (PostgreSQL checks them). Errors name the
 * file, as readLineBatches does.
 */
export async function* readRawChunks(file: string): AsyncGenerator<RawChunk> {
  let member: string | null = null;
  try {
    for await (const entry of archiveMembers(file)) {
      member = entry.name;
      let lineNo = 1;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      let carry: Buffer | null = null;
      for await (const raw of await entry.open()) {
        const piece = raw as Buffer;
        const last = piece.lastIndexOf(NL);
        if (last === -1) {
          carry = carry ? Buffer.concat([carry, piece]) : piece;
          continue;
        }
        if (carry) pending.push(carry);
        pending.push(piece.subarray(0, last + 1));
        pendingBytes += (carry?.length ?? 0) + last + 1;
        carry = last + 1 < piece.length ? piece.subarray(last + 1) : null;
        if (pendingBytes >= TARGET_BYTES) {
          const bytes = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
          pending = [];
          pendingBytes = 0;
          const { chunk, lines } = toChunk(file, member, bytes, lineNo);
          lineNo += lines;
          if (chunk.lineNos.length > 0) yield chunk;
        }
      }
      if (carry) pending.push(carry, NEWLINE);
      if (pending.length > 0) {
        const { chunk } = toChunk(file, member, Buffer.concat(pending), lineNo);
        if (chunk.lineNos.length > 0) yield chunk;
      }
    }
  } catch (error) {
    throw inputError(file, member, error);
  }
}
