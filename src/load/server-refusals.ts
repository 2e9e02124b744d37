import { errorKind, RefusedRowError } from "../errors.js";
import type { InputLine } from "../input/types.js";
import type { Rejected } from "./loader.js";
import type { RowSource } from "./normalized-batch-copy/batch-copy.js";

/**
 * Lines (or tweets of a v2 page) that PostgreSQL refused although every rule of
 * docs/line-rules.md accepts them: a database whose encoding cannot hold a character
 * (LATIN1 and an emoji), a constraint a user added. The loader rejects each with the
 * server's message and loads the file (or batch) again without it, so one such line costs
 * that line, never the file.
 */
export class ServerRefusals {
  /** Past this many refusals in one file, the file fails: each costs another pass over it. */
  static readonly MAX = 20;
  private readonly reasons = new Map<string, string>();

  /** The key of a line, or of the tweet at `index` of a v2 page line. */
  static key(member: string | null, lineNo: number, index?: number): string {
    return `${member ?? ""}\n${lineNo}\n${index ?? ""}`;
  }

  /** The server's reason for refusing this line (or tweet of a page), if it did. */
  reason(line: Pick<InputLine, "member" | "lineNo">, index?: number): string | undefined {
    if (this.reasons.size === 0) return undefined;
    return this.reasons.get(ServerRefusals.key(line.member, line.lineNo, index));
  }

  /**
   * Records a refusal; false when it cannot help (the same line refused again, or too
   * many refusals): the caller then fails the file with the server's error.
   */
  add(where: { member: string | null; lineNo: number; index?: number }, error: unknown): boolean {
    const key = ServerRefusals.key(where.member, where.lineNo, where.index);
    if (this.reasons.has(key) || this.reasons.size >= ServerRefusals.MAX) return false;
    this.reasons.set(key, `refused by PostgreSQL: ${(error as Error).message}`);
    return true;
  }

  get size(): number {
    return this.reasons.size;
  }
}

/** The data line number PostgreSQL names in a COPY error's context, if any. */
export function copyErrorLine(error: unknown): number | null {
  const where = (error as { where?: unknown } | null)?.where;
  const m = typeof where === "string" ? /\bCOPY \S+, line (\d+)/.exec(where) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The error of a COPY whose rows came from `sources` (in order): a RefusedRowError naming
 * the refused row's line when the server refused a value and said which COPY line held it,
 * else the error as it is.
 */
export function traceCopyError(error: unknown, sources: readonly RowSource[] | undefined): unknown {
  if (errorKind(error) !== "data" || sources === undefined) return error;
  const n = copyErrorLine(error);
  const source = n === null ? undefined : sources[n - 1];
  return source === undefined ? error : new RefusedRowError(source, error);
}

/**
 * onReject that passes each line (or page tweet) on once: a file loaded again after a
 * refusal meets its bad lines again, and their records are already written.
 */
export function oncePerLine(onReject: ((line: Rejected) => void) | undefined) {
  if (!onReject) return undefined;
  const seen = new Set<string>();
  return (line: Rejected) => {
    const key = ServerRefusals.key(line.member, line.lineNo, line.index);
    if (seen.has(key)) return;
    seen.add(key);
    onReject(line);
  };
}
