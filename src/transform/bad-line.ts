/** A line that is not JSON or not a tweet object: the caller rejects it and goes on. */
export class BadLineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BadLineError";
  }
}
