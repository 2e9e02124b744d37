/** A file that cannot be read as an archive of tweet lines; the message names the file. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "InputError";
  }
}

/** Wraps any error raised while reading `file` (and `member`) into an InputError naming it. */
export function inputError(file: string, member: string | null, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const where = member === null ? file : `${file} (member ${member})`;
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError(file, `cannot read ${where}: ${reason}`, { cause: error });
}
