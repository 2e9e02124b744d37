import { setTimeout as sleep } from "node:timers/promises";

/** SQLSTATEs after which repeating the same transaction is safe and likely to succeed. */
const RETRYABLE = new Set(["40P01", "40001"]);

export const isRetryable = (error: unknown): boolean =>
  RETRYABLE.has((error as { code?: unknown } | null)?.code as string);

/**
 * Runs `attempt` again after a deadlock (40P01) or serialization failure (40001), with
 * jittered exponential backoff, up to `tries` times in all; other errors pass through.
 */
export async function retryTransaction<T>(attempt: () => Promise<T>, tries = 10): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= tries || !isRetryable(error)) throw error;
      await sleep(Math.random() * Math.min(1000, 5 * 2 ** n));
    }
  }
}

/** SQLSTATEs of a connection lost or refused for a while: a server shutting down or starting up. */
const CONNECTION_STATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08006"]);
const CONNECTION_ERRNOS = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
// node-postgres reports a socket that closed under it with these messages and no code.
const CONNECTION_MESSAGES =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable/;

/**
 * Whether repeating the whole file (on a new connection) may succeed: a deadlock or
 * serialization failure, or a connection that was lost or refused (a server restarting,
 * a backend terminated). Bad input and SQL errors are not transient.
 */
export function isTransient(error: unknown): boolean {
  for (let e = error; e; e = (e as { cause?: unknown }).cause) {
    if (isRetryable(e)) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_STATES.has(code) || CONNECTION_ERRNOS.has(code))) {
      return true;
    }
    if (e instanceof Error && CONNECTION_MESSAGES.test(e.message)) return true;
    if (e === (e as { cause?: unknown }).cause) break;
  }
  return false;
}
