import { lineLocation } from "../input/line-location.js";
import type { InputLine } from "../input/types.js";
import { BadLineError } from "../transform/bad-line.js";
import { InexactIdError } from "../transform/exact-json.js";
import type { TweetRows } from "../transform/rows.js";
import { fromByteString, tweetToRows, tweetToRowsOfBytes } from "../transform/tweet-to-rows.js";
import type { FileHooks } from "./loader.js";

const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|[^u])/g;

/**
 * Whether JSON text holds a `\uD800`-`\uDFFF` escape that is not half of a pair. JavaScript
 * reads one, PostgreSQL's json parser refuses it: such a line is bad input in every
 * loader alike. The quick test keeps the cost off ordinary lines.
 */
export function hasLoneSurrogateEscape(text: string): boolean {
  if (!SURROGATE_ESCAPE.test(text)) return false;
  let high = -1; // end index of a pending high surrogate escape
  for (const m of text.matchAll(ESCAPE)) {
    const unit = m[1] === undefined ? -1 : Number.parseInt(m[1], 16);
    const isLow = unit >= 0xdc00 && unit <= 0xdfff;
    if (high !== -1 && !(isLow && m.index === high)) return true;
    if (high === -1 && isLow) return true;
    high = unit >= 0xd800 && unit <= 0xdbff ? m.index + m[0].length : -1;
  }
  return high !== -1;
}

const LONE_SURROGATE = "not valid JSON for PostgreSQL: a \\u escape of half a surrogate pair";

/**
 * Why a line is not a tweet, as tweetToRows decides it; null for a tweet. An id that is a
 * number JSON cannot hold exactly even after the exact parse (1e20) is bad input too.
 */
function badLineReason(error: unknown): string | null {
  if (error instanceof BadLineError) return error.message;
  if (error instanceof InexactIdError) return `not a tweet object: ${error.message}`;
  return null;
}

/** The reason `text` is not a tweet line, or null when it is one (the other loaders' test). */
export function tweetLineError(text: string): string | null {
  if (hasLoneSurrogateEscape(text)) return LONE_SURROGATE;
  try {
    tweetToRows(text);
    return null;
  } catch (error) {
    const reason = badLineReason(error);
    if (reason === null) throw error;
    return reason;
  }
}

/**
 * Transforms a batch of lines; a bad line goes to `hooks.onReject` (counted in
 * `rejected.count`) or, without that hook, fails with its location.
 */
export function rowsOfLines(
  lines: readonly InputLine[],
  hooks: FileHooks,
  rejected: { count: number },
): TweetRows[] {
  const out: TweetRows[] = [];
  for (let line of lines) {
    if (line.error !== undefined) {
      // Ruled out by the reader (not UTF-8, too long): rejected before any parse.
      if (!hooks.onReject) throw new BadLineError(`${lineLocation(line)}: ${line.error}`);
      rejected.count++;
      hooks.onReject({ ...line, error: line.error });
      continue;
    }
    if (line.byteString) {
      // No `\u` escape, so no lone surrogate either. A refused line is judged again as
      // text, so that the reason and the reject file show its text.
      try {
        out.push(tweetToRowsOfBytes(line.text));
        continue;
      } catch {
        line = {
          file: line.file,
          member: line.member,
          lineNo: line.lineNo,
          text: fromByteString(line.text),
        };
      }
    }
    try {
      if (hasLoneSurrogateEscape(line.text)) throw new BadLineError(LONE_SURROGATE);
      out.push(tweetToRows(line.text));
    } catch (error) {
      const reason = badLineReason(error);
      if (reason === null) throw error;
      if (!hooks.onReject) {
        throw new BadLineError(`${lineLocation(line)}: ${reason}`, { cause: error });
      }
      rejected.count++;
      hooks.onReject({ ...line, error: reason });
    }
  }
  return out;
}
