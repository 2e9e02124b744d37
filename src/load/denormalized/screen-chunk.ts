import type { RawChunk } from "../../input/raw-chunks.js";
import { MAX_JSON_DEPTH } from "../../transform/json-depth.js";
import {
  countNotice,
  NOTICE_KINDS,
  type NoticeCounts,
  noticeKindOf,
} from "../../transform/notices.js";

const NL = 10;
const BRACE = 123;
const QUOTE = 34;
const BRACKET = 91;
// `{"delete":` and the like: how the streaming API writes every notice. A notice written
// otherwise (spaces, other key order) is refused by the CHECK and found by the validated pass.
const PREFIXES = NOTICE_KINDS.map((kind) => Buffer.from(`{"${kind}":`));
const FIRST_LETTERS = new Set(NOTICE_KINDS.map((kind) => kind.charCodeAt(0)));

/**
 * Bytes every v2 page line holds (its key `data`). Such a line is parsed on the client
 * (page-lines.ts), which judges its depth exactly: a page of 100 tweets has thousands of
 * brackets, so the bracket count below would send every page file through the validated pass.
 */
export const PAGE_MARK = Buffer.from('"data":');

/** Thrown when a chunk holds a line the raw path cannot judge: the file needs the validated pass. */
export class NeedsValidationError extends Error {
  constructor() {
    super("a line may nest too deep for the raw path");
    this.name = "NeedsValidationError";
  }
}

/**
 * Whether bytes [start, end) hold more opening brackets than a line may nest deep (see
 * mayNestDeeper): native searches with a byte needle, about 30 per tweet.
 */
export function mayNestDeeper(data: Buffer, start: number, end: number): boolean {
  let n = 0;
  for (const byte of [BRACE, BRACKET]) {
    for (let i = data.indexOf(byte, start); i !== -1 && i < end; i = data.indexOf(byte, i + 1)) {
      if (++n > MAX_JSON_DEPTH) return true;
    }
  }
  return false;
}

function noticeAt(data: Buffer, start: number, end: number): ReturnType<typeof noticeKindOf> {
  const letter = data[start + 2];
  if (data[start] !== BRACE || data[start + 1] !== QUOTE || letter === undefined) return null;
  if (!FIRST_LETTERS.has(letter)) return null;
  const fits = (p: Buffer) => start + p.length <= end;
  if (
    !PREFIXES.some((p) => fits(p) && data.compare(p, 0, p.length, start, start + p.length) === 0)
  ) {
    return null;
  }
  try {
    const value: unknown = JSON.parse(data.toString("utf8", start, end));
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    return noticeKindOf(value as Record<string, unknown>);
  } catch {
    return null; // not JSON: COPY refuses it and the validated pass rejects it
  }
}

function holdsPageMark(data: Buffer, start: number, end: number): boolean {
  const at = data.indexOf(PAGE_MARK, start);
  return at !== -1 && at < end;
}

/**
 * The chunk without its stream notices (counted in `notices`), cheaply: only lines that
 * begin like a notice are parsed. Throws NeedsValidationError when a line has more opening
 * brackets than a line may nest deep (page lines excepted: see PAGE_MARK): PostgreSQL could fail the whole COPY on it ("stack
 * depth limit exceeded") or store what the other loaders reject.
 */
export function screenChunk(chunk: RawChunk, notices: NoticeCounts): RawChunk {
  const { data, lineNos } = chunk;
  let kept: Buffer[] | null = null;
  let keptNos: number[] | null = null;
  let start = 0;
  for (let i = 0; i < lineNos.length; i++) {
    const nl = data.indexOf(NL, start);
    const end = nl === -1 ? data.length : nl;
    if (mayNestDeeper(data, start, end) && !holdsPageMark(data, start, end)) {
      throw new NeedsValidationError();
    }
    const kind = noticeAt(data, start, end);
    if (kind !== null) {
      countNotice(notices, kind);
      kept ??= [data.subarray(0, start)];
      keptNos ??= lineNos.slice(0, i);
    } else if (kept && keptNos) {
      kept.push(data.subarray(start, end + 1));
      keptNos.push(lineNos[i] as number);
    }
    start = end + 1;
  }
  if (!kept || !keptNos) return chunk;
  return { ...chunk, data: Buffer.concat(kept), lineNos: keptNos };
}
