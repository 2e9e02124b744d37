import { databaseName } from "../db/kinds.js";
import { redactSecrets } from "../db/targets.js";
import { formatDuration, transientKind } from "../load/retry-budget.js";
import type { LoadTask } from "./types.js";

/**
 * The line logged before a file is tried again, e.g. "tweetload: lost the connection to
 * pg_normalized (terminating connection due to administrator command); retrying data/day.jsonl
 * in 4 s, 41 s left (--retry-for)". The cause is the server's or the socket's message, with
 * any password of the task's URL hidden.
 */
export function retryNotice(
  task: Pick<LoadTask, "db" | "file" | "url">,
  error: unknown,
  wait: { waitMs: number; leftMs: number },
): string {
  const cause = redactSecrets(error instanceof Error ? error.message : String(error), [task.url]);
  const what =
    transientKind(error) === "conflict"
      ? `hit a deadlock or serialization failure in ${databaseName(task.db)}`
      : `lost the connection to ${databaseName(task.db)}`;
  return (
    `tweetload: ${what} (${cause.split("\n")[0]}); retrying ${task.file} ` +
    `in ${formatDuration(wait.waitMs)}, ${formatDuration(wait.leftMs)} left (--retry-for)`
  );
}
