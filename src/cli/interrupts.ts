import { cancelBackends } from "../db/backends.js";
import { UserError } from "../errors.js";

/** The exit code of a command stopped by `signal`: 128 + the signal's number. */
export const interruptedCode = (signal: NodeJS.Signals): number =>
  signal === "SIGTERM" ? 143 : 130;

/**
 * Cancels this process's queries on the server, then exits with the signal's code: what a
 * command without its own handling does on Ctrl-C or SIGTERM. Node's default ended the
 * process at once, and the server ran a checker query on for minutes, holding its locks.
 */
export async function cancelAndExit(signal: NodeJS.Signals, ms = 2000): Promise<never> {
  const asked = await cancelBackends(undefined, ms).catch(() => 0);
  const what = asked === 1 ? "its query" : "its queries";
  process.stderr.write(
    `\ntweetload: interrupted (${signal})${asked > 0 ? `: ${what} on the server cancelled` : ""}\n`,
  );
  process.exit(interruptedCode(signal));
}

let installed = false;

/**
 * Installs the default SIGINT and SIGTERM handling of every command (once, by runCli): a
 * command that handles them itself (load, `db up`) adds its own listener, and then this
 * one stays out of the way. A second signal while cancelling exits at once.
 */
export function installInterrupts(): void {
  if (installed) return;
  installed = true;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (process.listenerCount(signal) > 1) return;
    if (stopping) process.exit(interruptedCode(signal));
    stopping = true;
    void cancelAndExit(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/**
 * Runs `fn` with a signal that SIGINT or SIGTERM aborts, after a line on stderr saying what
 * happens now (`doing`); the signal's reason is a UserError with the signal's exit code.
 * A second signal cancels the queries and exits at once.
 */
export async function withInterrupts<T>(
  doing: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) {
      void cancelAndExit(signal, 500);
      return;
    }
    process.stderr.write(
      `\ntweetload: interrupted (${signal}): ${doing} (Ctrl-C again to quit now)\n`,
    );
    abort.abort(
      new UserError(
        `stopped by ${signal}: its statements on the server were cancelled`,
        interruptedCode(signal),
      ),
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await fn(abort.signal);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** The exit code a signal aborted by withInterrupts stands for, if it was. */
export const exitCodeOf = (signal: AbortSignal): number | undefined =>
  signal.aborted && signal.reason instanceof UserError ? signal.reason.exitCode : undefined;
