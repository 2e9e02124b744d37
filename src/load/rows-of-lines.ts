import { BadLineError } from "../errors.js";
import { lineLocation } from "../input/line-location.js";
import type { InputLine } from "../input/types.js";
import { classifyLine, type LineClass } from "../transform/classify-line.js";
import { countNotice, type NoticeCounts } from "../transform/notices.js";
import type { TweetRows } from "../transform/rows.js";
import { fromByteString } from "../transform/tweet-to-rows.js";
import type { FileHooks, Rejected } from "./loader.js";
import type { ServerRefusals } from "./server-refusals.js";

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
export function classifyInputLine(
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

/** A tweet's rows with where they came from: its line and, for a v2 page, its index in `data`. */
export interface SourcedRows {
  rows: TweetRows;
  line: InputLine;
  index?: number;
  /** For a tweet of a v2 page: the tweet with its references inlined (its reject's text). */
  tweet?: unknown;
}

/** A reject record: where the line is, the text to keep (the line's, or a page tweet's), why. */
export function rejectOf(line: InputLine, text: string, error: string, index?: number): Rejected {
  const where = { file: line.file, member: line.member, lineNo: line.lineNo };
  return index === undefined ? { ...where, text, error } : { ...where, text, index, error };
}

/** The reject record of a tweet the server refused: its line, or its own JSON for a page's tweet. */
export function refusedRecord(source: SourcedRows, reason: string): Rejected {
  const { line, index } = source;
  if (index === undefined) return rejectOf(line, textOf(line), reason);
  return rejectOf(line, JSON.stringify(source.tweet), reason, index);
}

const textOf = (line: InputLine): string =>
  line.byteString ? fromByteString(line.text) : line.text;

/**
 * The tweets of a batch of lines with their sources. Notices are counted in
 * `tally.notices`; a bad line goes to `hooks.onReject` (counted in `tally.rejects`) or,
 * without that hook, fails with its location. A line or a page's tweet in `refused` (the
 * server refused it on an earlier pass) is rejected with the server's reason.
 */
export function sourcedRowsOfLines(
  lines: readonly InputLine[],
  hooks: FileHooks,
  tally: LineTally,
  refused?: ServerRefusals,
): SourcedRows[] {
  const out: SourcedRows[] = [];
  const reject = (line: Rejected) => {
    if (!hooks.onReject) {
      throw new BadLineError(`${lineLocation(line)}: ${line.error}`);
    }
    tally.rejects++;
    hooks.onReject(line);
  };
  for (const line of lines) {
    const refusal = refused?.reason(line);
    if (refusal !== undefined) {
      reject(rejectOf(line, textOf(line), refusal));
      continue;
    }
    const c = classifyInputLine(line);
    if (c.kind === "tweets") {
      c.tweets.forEach((rows, i) => {
        const index = c.indexes?.[i];
        const source: SourcedRows =
          index === undefined ? { rows, line } : { rows, line, index, tweet: c.flattened?.[i] };
        const pageRefusal = index === undefined ? undefined : refused?.reason(line, index);
        if (pageRefusal === undefined) out.push(source);
        else reject(refusedRecord(source, pageRefusal));
      });
      // A v2 page's bad tweets: the reject names the line and the tweet's index in `data`.
      for (const bad of c.rejects) reject(rejectOf(line, bad.text, bad.error, bad.index));
    } else if (c.kind === "notice") {
      countNotice(tally.notices, c.notice);
    } else {
      reject({ ...c.line, error: c.error.message });
    }
  }
  return out;
}

/** The tweets of a batch of lines (sourcedRowsOfLines without the sources, for tests and tools). */
export const rowsOfLines = (
  lines: readonly InputLine[],
  hooks: FileHooks,
  tally: LineTally,
): TweetRows[] => sourcedRowsOfLines(lines, hooks, tally).map((s) => s.rows);

/**
 * sourcedRowsOfLines one line at a time, lazily: a v2 page holds ~100 tweets, so a batch
 * of page lines at once would keep a hundred times the rows of v1.1 lines alive (in a
 * worker's small heap, 3-4x slower loads from garbage collection alone).
 */
export function* tweetsOfLines(
  lines: readonly InputLine[],
  hooks: FileHooks,
  tally: LineTally,
  refused?: ServerRefusals,
): Generator<SourcedRows> {
  for (const line of lines) yield* sourcedRowsOfLines([line], hooks, tally, refused);
}
