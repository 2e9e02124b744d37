import { BadLineError, InexactIdError } from "../errors.js";
import { parseJsonLine } from "./exact-json.js";
import { stripNulEscapes } from "./nul.js";
import type { TweetRows } from "./rows.js";
import { BYTES, rowsOf, type Strings, TEXT } from "./tweet-to-rows.js";
import { flattenPage } from "./v2/flatten-page.js";
import { isObj, type Obj } from "./v2/json-access.js";
import { lineShape } from "./v2/shape.js";
import { rowsOfV2Tweet } from "./v2/v2-tweet-to-rows.js";

/** A tweet of a v2 page that cannot be loaded; the rest of the page loads. */
export interface PageReject {
  /** Its index in the page's `data` (0-based). */
  index: number;
  /** The tweet's JSON text. */
  text: string;
  error: string;
}

/** What one input line gives: its tweets (one, or a page's many) and its page's bad tweets. */
export interface LineTweets {
  tweets: TweetRows[];
  rejects: PageReject[];
  /**
   * For a v2 page only: each loaded tweet (in the order of `tweets`) with what it
   * references inlined, as pg_denormalized stores it (see flattenPage).
   */
  flattened?: unknown[];
  /** For a v2 page only: each loaded tweet's index in the page's `data`. */
  indexes?: number[];
}

/** The message of a page's bad tweet: where in the page, then why. */
export const pageRejectError = (index: number, reason: string): string =>
  `data[${index}] of the v2 page: ${reason}`;

function tweetsOf(value: Obj, strings: Strings): LineTweets {
  const shape = lineShape(value);
  if (shape === "v1") return { tweets: [rowsOf(value, strings)], rejects: [] };
  if (shape === "v2-tweet") return { tweets: [rowsOfV2Tweet(value, strings)], rejects: [] };
  const out: LineTweets = { tweets: [], rejects: [], flattened: [], indexes: [] };
  flattenPage(value).forEach((tweet, index) => {
    try {
      out.tweets.push(rowsOfV2Tweet(tweet as Obj, strings));
      out.flattened?.push(tweet);
      out.indexes?.push(index);
    } catch (error) {
      if (!(error instanceof BadLineError)) throw error;
      out.rejects.push({
        index,
        text: JSON.stringify(tweet),
        error: pageRejectError(index, error.message),
      });
    }
  });
  return out;
}

/**
 * The tweets of a parsed line `value` of JSON text `text`, whichever era and shape it is (a
 * v1.1 tweet, a v2 page, a flattened v2 tweet). Every id exact: a line whose id exceeds
 * 2^53 without a `_str` twin is parsed again with big integers kept. Throws BadLineError
 * when the line as a whole is not tweet data (classifyLine, the one caller in the loaders,
 * first takes out what is not JSON, not an object, or a stream notice).
 */
export function tweetsOfValue(value: Obj, text: string, strings: Strings): LineTweets {
  try {
    return tweetsOf(value, strings);
  } catch (error) {
    if (!(error instanceof InexactIdError)) throw error;
    return tweetsOf(parseJsonLine(text, true) as Obj, strings);
  }
}

/**
 * One line of JSON text → its tweets (for tests and tools; the loaders use classifyLine,
 * which also applies the line-wide rules: depth, numbers, keys holding \u0000).
 */
export function lineToTweets(raw: string, strings: Strings): LineTweets {
  const text = stripNulEscapes(raw);
  const value = parseJsonLine(text);
  if (!isObj(value)) throw new BadLineError("not a tweet object: the JSON value is not an object");
  return tweetsOfValue(value, text, strings);
}

function single({ tweets, rejects }: LineTweets): TweetRows {
  const [only] = tweets;
  if (only === undefined || tweets.length > 1 || rejects.length > 0) {
    throw new BadLineError(
      `not one tweet: the line holds ${tweets.length} and rejects ${rejects.length}`,
    );
  }
  return only;
}

/** The rows of a line holding one tweet, v1.1 or flattened v2 (lineToTweets, for tests and tools). */
export const tweetToRows = (text: string): TweetRows => single(lineToTweets(text, TEXT));

/**
 * tweetToRows of a byte string: a line of UTF-8 bytes made a string one character per byte
 * (latin1), cheaper to make than decoded text; the strings taken from it are decoded
 * afterwards. Only for lines without `\u` escapes (see InputLine.byteString).
 */
export const tweetToRowsOfBytes = (bytes: string): TweetRows => single(lineToTweets(bytes, BYTES));
