import { setTimeout as sleep } from "node:timers/promises";
import { errorKind } from "../errors.js";

/** Whether repeating the same transaction is safe and likely to succeed (a conflict). */
export const isRetryable = (error: unknown): boolean => errorKind(error) === "conflict";

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
