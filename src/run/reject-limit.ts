/**
 * `--max-rejects`: how many rejected lines a file may have before it fails, as a count
 * (`100`) or a share of its lines (`1%`; lines = tweets + rejects, notices aside).
 *
 * One verdict per file, whatever the loader and the mode: a count is judged at each
 * reject (the reject that passes it is the same line in every loader, since every loader
 * rejects the same lines); a share only on the file's final counts, once every line is
 * read (for a file loaded in chunks, the sums of its chunks). A share judged as the load
 * went was judged on counts that lag differently in each loader (batches, commits, chunks
 * in flight): a file with 11 bad lines in 2,011 loaded in one database and failed in
 * another. So a file of another format is read to its end before a share fails it; a
 * count stops it at once.
 */
export type RejectLimit = { count: number } | { share: number };

/**
 * Default of `--max-rejects`. With stream notices no longer counted, what real archives
 * still hold are a truncated last line or a stray log line: a handful per file, whatever
 * its size. A file of another JSON format rejects nearly every line. A share fits files
 * of 600 lines and of many GB alike, where a count is too strict for the big ones.
 */
export const DEFAULT_MAX_REJECTS = "1%";

/** A share never fails a file for this many rejects or fewer (one bad line in a tiny file). */
export const SHARE_FLOOR = 10;

/** Parses `100`, `0`, `1%`, `0.5%`; throws a sentence naming the flag for anything else. */
export function parseRejectLimit(value: string | number): RejectLimit {
  const text = String(value).trim();
  const share = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (share) {
    const pct = Number(share[1]);
    if (pct <= 100) return { share: pct / 100 };
  } else if (/^\d+$/.test(text)) {
    return { count: Number(text) };
  }
  throw new Error(
    `--max-rejects must be a count of lines (e.g. 100) or a share of a file's lines (e.g. 1%), not ${JSON.stringify(String(value))}`,
  );
}

/** The limit as the user writes it, for messages. */
export const describeLimit = (limit: RejectLimit): string =>
  "count" in limit ? String(limit.count) : `${Number((limit.share * 100).toFixed(4))}%`;

/** Whether a file that has had `rejects` so far must stop now: a count it passed. */
export const overCount = (limit: RejectLimit, rejects: number): boolean =>
  "count" in limit && rejects > limit.count;

/** Whether a file read through, with these final counts, exceeds the limit. */
export function exceedsLimit(limit: RejectLimit, rejects: number, tweets: number): boolean {
  if ("count" in limit) return rejects > limit.count;
  return rejects > SHARE_FLOOR && rejects > limit.share * (tweets + rejects);
}
