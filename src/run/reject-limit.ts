/**
 * `--max-rejects`: how many rejected lines a file may have before it fails, as a count
 * (`100`) or a share of its lines (`1%`; lines = tweets + rejects, notices aside).
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

/** Lines a file must have had before a share is judged as it goes (else at its end). */
const SHARE_EARLY_LINES = 1000;

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

/**
 * Whether `rejects` exceed the limit, with `tweets` the file's tweets so far. `final`:
 * the file has been read through, so a share is judged on all its lines.
 */
export function exceedsLimit(limit: RejectLimit, rejects: number, tweets: number, final: boolean) {
  if ("count" in limit) return rejects > limit.count;
  const lines = tweets + rejects;
  if (!final && lines < SHARE_EARLY_LINES) return false;
  return rejects > SHARE_FLOOR && rejects > limit.share * lines;
}
