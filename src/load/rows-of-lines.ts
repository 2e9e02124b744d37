import type { InputLine } from "../input/types.js";
import { BadLineError } from "../transform/bad-line.js";
import type { TweetRows } from "../transform/rows.js";
import { tweetToRows } from "../transform/tweet-to-rows.js";
import type { FileHooks } from "./loader.js";

/** Where a line is, for messages: `file member:line`. */
export const lineLocation = (line: InputLine): string =>
  `${line.file}${line.member === null ? "" : ` ${line.member}`}:${line.lineNo}`;

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
  for (const line of lines) {
    try {
      out.push(tweetToRows(line.text));
    } catch (error) {
      if (!(error instanceof BadLineError)) throw error;
      if (!hooks.onReject) {
        throw new BadLineError(`${lineLocation(line)}: ${error.message}`, { cause: error });
      }
      rejected.count++;
      hooks.onReject({ ...line, error: error.message });
    }
  }
  return out;
}
