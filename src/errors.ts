/**
 * The errors every layer raises and the CLI branches on, at the bottom of the import graph
 * so that db/, run/, input/ and bench/ never import the CLI to throw one.
 */

/** An error whose message is already a sentence for the user: print it without a stack. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "UserError";
  }
}

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
