import { InputError } from "../errors.js";

/** Wraps any error raised while reading `file` (and `member`) into an InputError naming it. */
export function inputError(file: string, member: string | null, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const where = member === null ? file : `${file} (member ${member})`;
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError(file, `cannot read ${where}: ${reason}`, { cause: error });
}
