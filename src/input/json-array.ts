import { isUtf8 } from "node:buffer";
import { costlyLineReject, lineCostError } from "./line-cost.js";
import { type LongLine, PendingLine } from "./pending-line.js";
import { longLineReject, notUtf8Reject } from "./refused-lines.js";
import type { InputLine } from "./types.js";

/** One element of a JSON array file: its compact JSON text, where it starts, or what is wrong. */
export interface ArrayElement {
  lineNo: number;
  value: Buffer | LongLine;
  /** Set when the element cannot be a JSON value whatever its parse. */
  error?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NL = 0x0a;
const isSpace = (c: number) => c === 0x20 || c === NL || c === 0x0d || c === 0x09;

const BROKEN_STRING =
  "a string in this JSON array element holds a raw control character (a line break?): not valid JSON";

/**
 * Splits a stream holding JSON arrays (`[{…},{…}]`, pretty-printed or not) into the
 * elements' JSON text, without parsing them: only strings and nesting are followed, and
 * white space outside strings is dropped, so each element comes out as one compact line
 * with its bytes (ids included) exactly as written. That is why no JSON parser is used
 * here: stream-json, for one, decodes strings and numbers and does not say where a value
 * starts. An element longer than `max` bytes is kept as its head only. Bytes outside an
 * array run to the end of their line and come out as an element of their own (which no
 * loader takes for a tweet). Yields the elements that end in each chunk.
 */
export async function* jsonArrayElements(
  chunks: AsyncIterable<Buffer>,
  max: number,
): AsyncGenerator<ArrayElement[]> {
  const element = new PendingLine(max);
  let lineNo = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let open = false; // an element has started
  let stray = false; // the element is text outside any array
  let startLine = 0;
  let broken = false;
  let out: ArrayElement[] = [];
  const end = () => {
    const value = element.finish(Buffer.alloc(0));
    out.push(
      broken ? { lineNo: startLine, value, error: BROKEN_STRING } : { lineNo: startLine, value },
    );
    open = false;
    stray = false;
    broken = false;
  };
  for await (const chunk of chunks) {
    let seg = -1; // start of the run of element bytes being copied
    // Where the next byte that matters inside a string is; found once per occurrence, so
    // the plain text of strings (most of a tweet) is skipped at indexOf speed.
    const next = [-1, -1, -1, -1];
    const STOPS = [QUOTE, BACKSLASH, NL, 0x0d];
    for (let i = 0; i < chunk.length; i++) {
      if (inString && !escaped) {
        let stop = chunk.length;
        for (let k = 0; k < 4; k++) {
          if ((next[k] as number) < i) {
            const at = chunk.indexOf(STOPS[k] as number, i);
            next[k] = at === -1 ? chunk.length : at;
          }
          stop = Math.min(stop, next[k] as number);
        }
        if (stop > i) {
          if (seg === -1) seg = i;
          i = stop - 1;
          continue;
        }
      }
      const c = chunk[i] as number;
      const quoted = inString || stray; // a byte whose meaning is not structure
      let keep: boolean;
      if (inString) {
        keep = true;
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        else if (c < 0x20) broken = true;
      } else if (stray) {
        keep = c !== NL;
      } else if (isSpace(c)) {
        keep = false;
      } else if (depth === 0 && c !== 0x5b) {
        keep = true;
        open = true;
        stray = true;
        startLine = lineNo;
      } else if (depth <= 1 && (c === 0x5b || c === 0x2c || c === 0x5d)) {
        // `[` opening the array, a `,` between elements, the `]` closing it.
        keep = depth === 1 && c === 0x5b;
        if (!keep) depth = c === 0x5b ? 1 : c === 0x5d ? 0 : depth;
      } else keep = true;
      if (keep && !open && !stray) {
        open = true;
        startLine = lineNo;
      }
      if (keep && !quoted) {
        if (c === QUOTE) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if ((c === 0x7d || c === 0x5d) && depth > 1) depth--;
      }
      if (c === NL) lineNo++;
      if (keep) {
        if (seg === -1) seg = i;
        continue;
      }
      if (seg !== -1) element.add(chunk.subarray(seg, i));
      seg = -1;
      // An element ends at the `,` or `]` after it, a stray line at its newline.
      if (open && (stray ? c === NL : depth <= 1 && (c === 0x2c || c === 0x5d))) end();
    }
    if (seg !== -1) element.add(chunk.subarray(seg));
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  if (open) end();
  if (out.length > 0) yield out;
}

const ESCAPE = Buffer.from("\\u");

/**
 * The InputLine of a JSON array element: its text (a byte string when asked for and it has
 * no `\u` escape, as readLineBatches makes them), or why the input rules it out.
 */
export function elementLine(
  where: Pick<InputLine, "file" | "member" | "lineNo">,
  element: ArrayElement,
  max: number,
  byteStrings: boolean,
): InputLine {
  const { value } = element;
  if (!Buffer.isBuffer(value)) return longLineReject(where, value, max);
  if (element.error !== undefined)
    return { ...where, text: value.toString("utf8"), error: element.error };
  const costly = lineCostError(value, 0, value.length, max);
  if (costly !== null) return costlyLineReject(where, value, costly);
  if (!isUtf8(value)) return notUtf8Reject(where, value);
  if (byteStrings && value.indexOf(ESCAPE) === -1) {
    return { ...where, text: value.toString("latin1"), byteString: true };
  }
  return { ...where, text: value.toString("utf8") };
}
