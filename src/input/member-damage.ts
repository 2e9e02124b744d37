import { MemberDamageError } from "../errors.js";
import type { InputLine } from "./types.js";

/**
 * Decoded bytes of a tar member held back until the member has decoded whole: a member
 * that turns out damaged (a bzip2 block or gzip stream that fails its check, a member cut
 * by the end of the archive) within them loads none of its lines, rather than the lines
 * decoded before the check failed, which may be garbage. Stream Grab's per-minute members
 * decode to 5-15 MB. Past this many bytes a member streams on, and damage further on
 * keeps the lines before it.
 */
export const HELD_BYTES = 32 * 1024 * 1024;

/** The reason an error gives for a member's damage, in plain words where tar-stream's are terse. */
export function damageReason(error: unknown): string {
  if (error instanceof MemberDamageError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (message === "Unexpected end of data") {
    return "the archive ends inside it (a cut download?)";
  }
  return message;
}

/**
 * The member's decoded pieces, held until it has decoded whole or `cap` bytes have come;
 * any error of its stream is a MemberDamageError.
 */
export async function* held(
  pieces: AsyncIterable<Buffer>,
  cap = HELD_BYTES,
): AsyncGenerator<Buffer> {
  const kept: Buffer[] = [];
  let bytes = 0;
  let passing = false;
  try {
    for await (const piece of pieces) {
      if (passing) {
        yield piece;
        continue;
      }
      kept.push(piece);
      bytes += piece.length;
      if (bytes >= cap) {
        passing = true;
        yield* kept.splice(0);
      }
    }
  } catch (error) {
    throw new MemberDamageError(damageReason(error), { cause: error });
  }
  yield* kept;
}

/**
 * The reject that stands for what of a damaged member was not loaded: its lines from
 * `lineNo` on (1: all of them).
 */
export function damageReject(
  where: Pick<InputLine, "file" | "member" | "lineNo">,
  error: MemberDamageError,
): InputLine {
  const lost =
    where.lineNo <= 1
      ? "none of its lines were loaded"
      : `its lines before line ${where.lineNo} were loaded, the rest of it was not`;
  const reason = `the member is damaged (${error.message}): ${lost}`;
  return { ...where, text: "", error: reason, damaged: true };
}

/**
 * A member's pieces, ending early, without an error, where the member turns out damaged:
 * `damage` then says why, for its reader to reject the rest of the member (and drop a line
 * the damage cut).
 */
export class DamageGuard implements AsyncIterable<Buffer> {
  damage: MemberDamageError | undefined;

  constructor(private readonly pieces: AsyncIterable<Buffer>) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      yield* this.pieces;
    } catch (error) {
      if (!(error instanceof MemberDamageError)) throw error;
      this.damage = error;
    }
  }
}
