import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { withClient } from "./client.js";
import { readSqlFile } from "./sql-file.js";

/** A session holding (or queued ahead for) a lock that a statement waits for. */
export interface Blocker {
  pid: number;
  application: string;
  user: string;
  state: string;
  /** Seconds since its statement (or its connection) started. */
  seconds: number;
  query: string;
}

/** What to do while a statement waits for other sessions' locks. */
export interface LockWatch {
  /** Told of the sessions it waits for, each time they change (empty: it waits no more). */
  onWait(blockers: readonly Blocker[]): void;
  /** End those sessions (pg_terminate_backend) once it has waited this long; unset: wait. */
  endAfterMs?: number;
  /** Told of the sessions ended, or why they could not be. */
  onEnd?(ended: readonly Blocker[], error?: string): void;
}

/** How often the waiting is looked at; a statement done sooner opens no second connection. */
const POLL_MS = 500;

/**
 * Runs `fn` (statements on `client`, connected to `url`) while a second connection watches
 * `client`'s backend: a DROP waiting behind a session that holds a lock (a checker query, an
 * open transaction) waited silently, for as long as that session ran.
 */
export async function watchingLocks<T>(
  url: string,
  client: pg.Client,
  watch: LockWatch | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const pid = (client as unknown as { processID: number | null }).processID;
  if (!watch || pid === null) return fn();
  const done = new AbortController();
  const tick = () => sleep(POLL_MS, undefined, { signal: done.signal });
  const watcher = (async () => {
    await tick();
    const sql = await readSqlFile(import.meta.url, "lock-blockers.sql");
    await withClient(url, async (observer) => {
      let shown = "";
      let since: number | undefined;
      let endAfter = watch.endAfterMs;
      for (; !done.signal.aborted; await tick()) {
        const { rows } = await observer.query<Blocker>(sql, [pid]);
        const key = rows.map((b) => b.pid).join(",");
        if (key !== shown) watch.onWait(rows);
        shown = key;
        since = rows.length === 0 ? undefined : (since ?? Date.now());
        if (since === undefined || endAfter === undefined || Date.now() - since < endAfter) {
          continue;
        }
        try {
          await observer.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [
            rows.map((b) => b.pid),
          ]);
          watch.onEnd?.(rows);
        } catch (error) {
          watch.onEnd?.(rows, (error as Error).message);
          endAfter = undefined;
        }
      }
    });
  })().catch(() => {});
  try {
    return await fn();
  } finally {
    done.abort();
    await watcher;
  }
}
