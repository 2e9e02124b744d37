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

/** Prints an error for a person and returns the exit code to use. */
export function reportFatal(error: unknown): number {
  if (error instanceof UserError) {
    console.error(`tweetload: ${error.message}`);
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  console.error(`tweetload: ${err.message}`);
  if (process.env.TWEETLOAD_DEBUG) console.error(err.stack);
  else console.error("(set TWEETLOAD_DEBUG=1 for the stack trace)");
  return 1;
}
