import { redactSecrets } from "../db/targets.js";
import { envFlag, environment } from "../env.js";
import { UserError } from "../errors.js";

/**
 * The URLs this process was given (command line and TWEETLOAD_*_URL), whose passwords no
 * message may show: the last line of defence for an error that quotes one.
 */
function givenUrls(): string[] {
  const env = Object.entries(environment())
    .filter(([name]) => /^TWEETLOAD_.*_URL$/.test(name))
    .map(([, value]) => value ?? "");
  const args = process.argv.flatMap((arg) => arg.split(/=(.*)/s));
  return [...env, ...args].filter((value) => /^[a-z][a-z0-9+.-]*:\/\//i.test(value));
}

/** `text` without the passwords of the given URLs or PGPASSWORD. */
function scrub(text: string): string {
  const out = redactSecrets(text, givenUrls());
  const password = environment().PGPASSWORD;
  return password ? out.split(password).join("***") : out;
}

/** Prints an error for a person and returns the exit code to use. */
export function reportFatal(error: unknown): number {
  if (error instanceof UserError) {
    console.error(`tweetload: ${scrub(error.message)}`);
    return error.exitCode;
  }
  const err = error instanceof Error ? error : new Error(String(error));
  console.error(`tweetload: ${scrub(err.message)}`);
  if (envFlag("TWEETLOAD_DEBUG")) console.error(scrub(err.stack ?? ""));
  else console.error("(set TWEETLOAD_DEBUG=1 for the stack trace)");
  return 1;
}
