import type { InputLine } from "../../input/types.js";
import { InexactIdError, parseJsonLine } from "../../transform/exact-json.js";
import { mayNestDeeper, nestsDeeper } from "../../transform/json-depth.js";
import { pageRejectError } from "../../transform/line-to-tweets.js";
import { stripNulEscapes } from "../../transform/nul.js";
import { flattenPage } from "../../transform/v2/flatten-page.js";
import { isObj, type Obj } from "../../transform/v2/json-access.js";
import { lineShape } from "../../transform/v2/shape.js";
import { v2TweetError } from "../../transform/v2/v2-tweet-to-rows.js";
import type { Rejected } from "../loader.js";
import { NeedsValidationError } from "./screen-chunk.js";

export { PAGE_MARK } from "./screen-chunk.js";

/** A page's tweets as pg_denormalized stores them: JSON lines, and the tweets it rejects. */
export interface PageRows {
  tweets: string[];
  rejects: Rejected[];
}

function rowsOfPage(page: Obj, line: InputLine): PageRows {
  const out: PageRows = { tweets: [], rejects: [] };
  flattenPage(page).forEach((tweet, index) => {
    const reason = v2TweetError(tweet);
    const text = JSON.stringify(tweet);
    // The NUL rule as for raw lines: the escape goes, `\\u0000` stays.
    if (reason === null) out.tweets.push(stripNulEscapes(text));
    else out.rejects.push({ ...line, text, index, error: pageRejectError(index, reason) });
  });
  return out;
}

/**
 * A v2 response page's tweets, each with its `includes` inlined as twarc2 flatten does
 * (one row per tweet, not per page); null when the line is not a page, or not JSON (the
 * caller keeps such a line as it is, and COPY or the client check judges it). A page nested
 * too deep throws NeedsValidationError (the raw pass skips its bracket count). A page with
 * an id above 2^53 written as a number is parsed again exactly, as the other loaders do.
 */
export function pageRows(line: InputLine): PageRows | null {
  let value: unknown;
  try {
    value = parseJsonLine(line.text);
  } catch {
    return null;
  }
  if (!isObj(value) || lineShape(value) !== "v2-page") return null;
  // Too deep for the loaders: the validated pass rejects the line as every loader does.
  if (mayNestDeeper(line.text) && nestsDeeper(value)) throw new NeedsValidationError();
  try {
    return rowsOfPage(value, line);
  } catch (error) {
    if (!(error instanceof InexactIdError)) throw error;
    return rowsOfPage(parseJsonLine(line.text, true) as Obj, line);
  }
}
