import { BadLineError, InexactIdError } from "../errors.js";
import { parseJsonLine } from "./exact-json.js";
import { checkJsonDepth } from "./json-depth.js";
import { checkNumbers } from "./json-numbers.js";
import { type PageReject, tweetsOfValue } from "./line-to-tweets.js";
import { hasLoneSurrogateEscape, LONE_SURROGATE } from "./lone-surrogate.js";
import { type NoticeKind, noticeKindOf } from "./notices.js";
import { checkNulKeys, stripNulEscapes } from "./nul.js";
import type { TweetRows } from "./rows.js";
import { BYTES, TEXT } from "./tweet-to-rows.js";

/**
 * What one input line is, the same for every loader: tweets (a v1.1 or flattened v2 tweet
 * gives one, a v2 page one per element of `data`, with the page's tweets that cannot be
 * loaded in `rejects`), or a stream notice of a kind. A line that is neither is bad input:
 * classifyLine throws a BadLineError.
 */
export type LineClass =
  | {
      kind: "tweets";
      tweets: TweetRows[];
      rejects: PageReject[];
      flattened?: unknown[];
      indexes?: number[];
    }
  | { kind: "notice"; notice: NoticeKind };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Classifies one line of JSON text, or of a byte string (`bytes`: see tweetToRowsOfBytes in line-to-tweets.ts;
 * such a line has no `\u` escape), by the rules of docs/line-rules.md. Every reason a line
 * is bad is a BadLineError.
 */
export function classifyLine(raw: string, bytes = false): LineClass {
  // The \u0000 escape goes before anything reads the line, as pg_denormalized stores it.
  const text = bytes ? raw : stripNulEscapes(raw);
  if (!bytes && hasLoneSurrogateEscape(text)) throw new BadLineError(LONE_SURROGATE);
  // V8's JSON.parse takes any depth (it does not recurse), so the depth is judged on the value.
  const value = parseJsonLine(text);
  checkJsonDepth(text, value);
  checkNumbers(text);
  if (text !== raw) checkNulKeys(raw);
  if (!isObject(value)) {
    throw new BadLineError("not a tweet object: the JSON value is not an object");
  }
  const notice = noticeKindOf(value);
  if (notice !== null) return { kind: "notice", notice };
  try {
    return { kind: "tweets", ...tweetsOfValue(value, text, bytes ? BYTES : TEXT) };
  } catch (error) {
    // An id above 2^53 not written as digits (1.5e18): the exact parse could not keep it.
    if (error instanceof InexactIdError) throw new BadLineError(error.message, { cause: error });
    throw error;
  }
}
