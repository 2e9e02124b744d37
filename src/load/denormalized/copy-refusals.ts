import { errorCode, errorKind } from "../../errors.js";
import { lineLocation } from "../../input/line-location.js";
import type { FileHooks, Rejected } from "../loader.js";
import { copyErrorLine } from "../server-refusals.js";
import type { CopyLineMap } from "./copy-line-map.js";

/** COPY of a distributed tweets_jsonb: the id column (the distribution column) and the line. */
export const CITUS_COPY_SQL = `COPY tweets_jsonb (id_tweets, data) FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

/** Where a COPY error's line came from, when it is a refused data line (not a lost connection). */
export function refusedLine(error: unknown, lines: CopyLineMap) {
  if (errorKind(error) !== "data") return null;
  const n = copyErrorLine(error);
  return n === null ? null : lines.locate(n);
}

/** Names the input member and line of a COPY error, when PostgreSQL says which line failed. */
export function located(file: string, error: unknown, lines: CopyLineMap): unknown {
  const n = copyErrorLine(error);
  const at = n === null ? null : lines.locate(n);
  if (!at || !(error instanceof Error)) return error;
  return Object.assign(
    new Error(`${lineLocation({ file, ...at })}: ${error.message}`, { cause: error }),
    {
      code: errorCode(error),
      member: at.member,
      lineNo: at.lineNo,
    },
  );
}

/**
 * Hands a pass's rejects to the runner, once per line, from the pass that commits (it may
 * throw: --max-rejects); without a reject hook the first one fails the file.
 */
export function reportRejects(file: string, rejects: readonly Rejected[], hooks: FileHooks): void {
  if (rejects.length > 0 && !hooks.onReject) {
    const [first] = rejects as [Rejected];
    throw new Error(`${lineLocation({ ...first, file })}: ${first.error}`);
  }
  for (const line of rejects) hooks.onReject?.(line);
}
