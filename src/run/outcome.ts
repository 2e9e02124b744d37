import { NoTweetsError, TooManyRejectsError } from "../errors.js";
import type { FileResult } from "../load/loader.js";
import { noticeTotal } from "../transform/notices.js";
import { describeLimit, exceedsLimit, type RejectLimit } from "./reject-limit.js";
import type { FileStatus } from "./types.js";

/** Throws when a file read through must fail: no tweet at all, or too many rejects. */
export function checkFileResult(result: FileResult, limit: RejectLimit): void {
  if (exceedsLimit(limit, result.rejects, result.tweets)) {
    throw new TooManyRejectsError(describeLimit(limit), result.rejects);
  }
  if (result.tweets === 0) throw new NoTweetsError(result.rejects, noticeTotal(result.notices));
}

/**
 * How a file that did not finish ends: `failed` when nothing of it is in the database (an
 * atomic loader rolled it back, or nothing was committed yet), else `partial` with the
 * tweets committed, and what to run to finish it.
 */
export function unfinished(
  committed: number,
  cause: string,
): { status: FileStatus; tweets: number; error: string } {
  if (committed === 0) {
    return { status: "failed", tweets: 0, error: `${cause}; nothing of it is in the database` };
  }
  return {
    status: "partial",
    tweets: committed,
    error: `${cause}; ${committed} of its tweets are committed: run the same command again to finish it`,
  };
}
