import { type DbKind, databaseName } from "../db/kinds.js";
import type { Blocker, LockWatch } from "../db/lock-waits.js";
import { redactSecrets } from "../db/targets.js";
import { UserError } from "../errors.js";
import { parseDuration } from "../load/retry-budget.js";

/** `--end-sessions-after`'s milliseconds; not a duration is a usage error (exit 2). */
export function endSessionsAfterMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new UserError(
      `--end-sessions-after must be a duration such as 30s, 2m or 0 (at once), not ${JSON.stringify(text)}`,
      2,
    );
  }
  return ms;
}

const ago = (seconds: number) =>
  seconds < 120 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;

/** One session, as `db reset` names it: pid, program, user, state, for how long, what. */
export const describeBlocker = (b: Blocker): string =>
  `pid ${b.pid} (${b.application}, user ${b.user}, ${b.state ?? "?"} for ${ago(b.seconds)}${b.query ? `: ${hidePasswords(b.query)}` : ""})`;

/** Another session's statement may set a password (`ALTER ROLE … PASSWORD '…'`, a URL). */
const hidePasswords = (sql: string) =>
  redactSecrets(sql).replace(/(password\s*)'(?:[^']|'')*'?/gi, "$1'***'");

/**
 * What `db reset` says while its drops wait for other sessions' locks, on stderr: who they
 * are and what to do; and ends them after `endAfterMs` when asked to.
 */
export function resetLockWatch(
  kind: DbKind,
  endAfterMs: number | undefined,
  say: (line: string) => void = (line) => process.stderr.write(`tweetload: ${line}\n`),
): LockWatch {
  const name = databaseName(kind);
  const watch: LockWatch = {
    onWait: (blockers) => {
      if (blockers.length === 0) return say(`${name}: the sessions it waited for are gone`);
      const sessions = blockers.length === 1 ? "1 session" : `${blockers.length} sessions`;
      const then =
        endAfterMs === undefined
          ? "it goes on when they end: stop them, or run the reset with --end-sessions-after 0 (or a wait such as 30s) to end them"
          : endAfterMs === 0
            ? "ending them now (--end-sessions-after 0)"
            : `ending them after ${endAfterMs / 1000} s of waiting (--end-sessions-after)`;
      say(
        `resetting ${name} waits for ${sessions} holding locks on its tables: ${blockers.map(describeBlocker).join("; ")}; ${then}.`,
      );
    },
    onEnd: (ended, error) =>
      say(
        error === undefined
          ? `${name}: ended ${ended.map((b) => `pid ${b.pid} (${b.application})`).join(", ")}, whose locks the reset waited for`
          : `${name}: could not end the sessions it waits for (${error}); it waits on`,
      ),
  };
  if (endAfterMs !== undefined) watch.endAfterMs = endAfterMs;
  return watch;
}
