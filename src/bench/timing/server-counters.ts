import { withClient } from "../../db/client.js";
import { readSqlFile } from "../../db/sql-file.js";
import type { ServerCounters } from "../types.js";

/**
 * The server's WAL position and this database's commit count, or undefined
 * where the server cannot tell (a standby, statistics turned off).
 */
export async function readServerCounters(url: string): Promise<ServerCounters | undefined> {
  try {
    const text = await readSqlFile(import.meta.url, "server-counters.sql");
    const row = await withClient(
      url,
      async (c) => (await c.query<{ wal: string; commits: string | null }>(text)).rows[0],
    );
    if (!row || row.commits === null) return undefined;
    return { walBytes: Number(row.wal), xactCommit: Number(row.commits) };
  } catch {
    return undefined;
  }
}

/** What happened between two readings; undefined when either is missing. */
export function counterDelta(
  before: ServerCounters | undefined,
  after: ServerCounters | undefined,
): ServerCounters | undefined {
  if (!before || !after) return undefined;
  return {
    walBytes: after.walBytes - before.walBytes,
    xactCommit: after.xactCommit - before.xactCommit,
  };
}
