import type { InputLine } from "../input/types.js";
import { BadLineError } from "../transform/bad-line.js";
import { classifyLine, type LineClass } from "../transform/classify-line.js";
import { countNotice, type NoticeCounts } from "../transform/notices.js";
import type { TweetRows } from "../transform/rows.js";
import { fromByteString } from "../transform/tweet-to-rows.js";
import type { FileHooks } from "./loader.js";

export { hasLoneSurrogateEscape } from "../transform/lone-surrogate.js";

/** Where a line is, for messages: `file member:line`. */
export const lineLocation = (line: InputLine): string =>
  `${line.file}${line.member === null ? "" : ` ${line.member}`}:${line.lineNo}`;

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
      return classifyLine(line.text, true);
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
  for (const line of lines) {
    const c = classify(line);
    if (c.kind === "tweets") {
      for (const t of c.tweets) out.push(t);
    } else if (c.kind === "notice") {
      countNotice(tally.notices, c.notice);
    } else {
      if (!hooks.onReject) {
        throw new BadLineError(`${lineLocation(c.line)}: ${c.error.message}`, { cause: c.error });
      }
      tally.rejects++;
      hooks.onReject({ ...c.line, error: c.error.message });
    }
  }
  return out;
}
