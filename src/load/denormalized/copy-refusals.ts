import { lineLocation } from "../../input/line-location.js";
import type { FileHooks, Rejected } from "../loader.js";
import { LineNeedsValidation } from "./citus-data.js";
import { type CopyLineMap, copyErrorLine } from "./copy-line-map.js";
import { NeedsValidationError } from "./screen-chunk.js";

/**
 * Lines the validated pass may find refused by the server although the client accepted
 * them (JSON that JavaScript reads but jsonb does not, such as a lone surrogate escape).
 * Each costs one more pass over the file, so past this many the file fails instead.
 */
export const MAX_SERVER_REFUSALS = 20;

/** The key of a refused line in the map of refusals the next pass rejects. */
export const lineKey = (member: string | null, lineNo: number) => `${member ?? ""}\n${lineNo}`;

/** Where a COPY error's line came from, when it is a refused data line (not a lost connection). */
export function refusedLine(error: unknown, lines: CopyLineMap) {
  const code = (error as { code?: unknown } | null)?.code;
  // 22: bad data, 23: the CHECK, 54001: nested past the server's stack depth limit.
  if (
    typeof code !== "string" ||
    !(code.startsWith("22") || code.startsWith("23") || code === "54001")
  ) {
    return null;
  }
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
      code: (error as { code?: unknown }).code,
      member: at.member,
      lineNo: at.lineNo,
    },
  );
}

/** Where a denormalized load stands between its passes over a file. */
export interface PassState {
  /** The next pass checks every line on the client. */
  validate: boolean;
  /** Lines the server refused although the client accepted them, with its message. */
  refused: Map<string, string>;
}

/**
 * After a pass failed: sets up the next pass (the validating one, or one that rejects the
 * line the server refused) or throws the error the file fails with. On Citus (`citus`) a
 * row a worker refuses fails the COPY without naming its line (code 23514 or XX000): like
 * a line without an id, it sends the file through the validating pass.
 */
export function nextPass(
  file: string,
  error: unknown,
  lines: CopyLineMap,
  state: PassState,
  canReject: boolean,
  citus: boolean,
): void {
  if (error instanceof NeedsValidationError && !state.validate) {
    state.validate = true;
    return;
  }
  const at = refusedLine(error, lines);
  const code = (error as { code?: unknown } | null)?.code;
  const workerRefusal =
    citus &&
    (error instanceof LineNeedsValidation ||
      (typeof code === "string" && /^(22|23|XX)/.test(code)));
  if (at === null && !state.validate && canReject && workerRefusal) {
    state.validate = true;
    return;
  }
  if (at === null || !canReject) throw located(file, error, lines);
  if (state.validate) {
    const key = lineKey(at.member, at.lineNo);
    if (state.refused.has(key) || state.refused.size >= MAX_SERVER_REFUSALS) {
      throw located(file, error, lines);
    }
    state.refused.set(key, `refused by PostgreSQL: ${(error as Error).message}`);
  }
  state.validate = true;
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
