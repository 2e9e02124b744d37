import { lineLocation } from "../input/line-location.js";
import type { InputLine } from "../input/types.js";
import { BadLineError } from "../transform/bad-line.js";
import { classifyLine, type LineClass } from "../transform/classify-line.js";
import { countNotice, type NoticeCounts } from "../transform/notices.js";
import type { TweetRows } from "../transform/rows.js";
import { fromByteString } from "../transform/tweet-to-rows.js";
import type { FileHooks } from "./loader.js";

export { hasLoneSurrogateEscape } from "../transform/lone-surrogate.js";

/** What a file's lines were besides tweets: rejected lines and stream notices per kind. */
export interface LineTally {
  rejects: number;
  notices: NoticeCounts;
}

export const newTally = (): LineTally => ({ rejects: 0, notices: {} });

/** The reason `text` is not a tweet or a notice, or null when it is one (for tests and tools). */
export function tweetLineError(text: string): string | null {
  try {
    classifyLine(text);
    return null;
  } catch (error) {
    if (error instanceof BadLineError) return error.message;
    throw error;
  }
}

/**
 * Classifies a line; a byte string that is refused is judged again as text, so that the
 * reason and the reject file show its text. Returns the line as text when it is bad.
 */
function classify(
  line: InputLine,
): LineClass | { kind: "bad"; line: InputLine; error: BadLineError } {
  // Ruled out by the reader (not UTF-8, too long): rejected before any parse.
  if (line.error !== undefined) return { kind: "bad", line, error: new BadLineError(line.error) };
  if (line.byteString) {
    try {
      const c = classifyLine(line.text, true);
      // A page with tweets to reject is judged again as text, so that its rejects show text.
      if (c.kind !== "tweets" || c.rejects.length === 0) return c;
    } catch {}
    line = {
      file: line.file,
      member: line.member,
      lineNo: line.lineNo,
      text: fromByteString(line.text),
    };
  }
  try {
    return classifyLine(line.text);
  } catch (error) {
    if (!(error instanceof BadLineError)) throw error;
    return { kind: "bad", line, error };
  }
}

/**
 * The tweets of a batch of lines. Notices are counted in `tally.notices`; a bad line goes
 * to `hooks.onReject` (counted in `tally.rejects`) or, without that hook, fails with its
 * location.
 */
export function rowsOfLines(
  lines: readonly InputLine[],
  hooks: FileHooks,
  tally: LineTally,
): TweetRows[] {
  const out: TweetRows[] = [];
  const reject = (line: InputLine & { index?: number }, error: BadLineError) => {
    if (!hooks.onReject) {
      throw new BadLineError(`${lineLocation(line)}: ${error.message}`, { cause: error });
    }
    tally.rejects++;
    hooks.onReject({ ...line, error: error.message });
  };
  for (const line of lines) {
    const c = classify(line);
    if (c.kind === "tweets") {
      for (const t of c.tweets) out.push(t);
      // A v2 page's bad tweets: the reject names the line and the tweet's index in `data`.
      for (const bad of c.rejects) {
        reject({ ...line, text: bad.text, index: bad.index }, new BadLineError(bad.error));
      }
    } else if (c.kind === "notice") {
      countNotice(tally.notices, c.notice);
    } else {
      reject(c.line, c.error);
    }
  }
  return out;
}

/**
 * rowsOfLines one line at a time, lazily: a v2 page holds ~100 tweets, so a batch of page
 * lines at once would keep a hundred times the rows of v1.1 lines alive (in a worker's
 * small heap, 3-4x slower loads from garbage collection alone).
 */
export function* tweetsOfLines(
  lines: readonly InputLine[],
  hooks: FileHooks,
  tally: LineTally,
): Generator<TweetRows> {
  for (const line of lines) yield* rowsOfLines([line], hooks, tally);
}
