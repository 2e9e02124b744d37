import { withClient } from "../../db/client.js";
import { readSqlFile } from "../../db/sql-file.js";

/** Commits made by a commit-floor run, and its wall time. */
export interface CommitFloorResult {
  commits: number;
  wallSeconds: number;
  /** `count(*)` of the floor's table afterwards: one row per commit. */
  rows: number;
}

const sql = (name: string) => readSqlFile(import.meta.url, name);

/**
 * The server's commit rate: `connections` clients each sending autocommit
 * one-row INSERTs, one at a time, for `seconds`. A loader that commits once
 * per tweet cannot load faster than this on the same server at the same
 * concurrency. The table is created before and dropped after.
 */
export async function timeCommitFloor(
  url: string,
  connections: number,
  seconds: number,
): Promise<CommitFloorResult> {
  const [setup, insert, count, drop] = await Promise.all(
    ["setup", "insert", "count", "drop"].map((s) => sql(`commit-floor-${s}.sql`)),
  );
  await withClient(url, (c) => c.query(setup as string));
  try {
    const started = process.hrtime.bigint();
    const deadline = started + BigInt(Math.round(seconds * 1e9));
    const perConnection = await Promise.all(
      Array.from({ length: connections }, (_, k) =>
        withClient(url, async (client) => {
          let n = 0;
          while (process.hrtime.bigint() < deadline) {
            await client.query({ name: "commit-floor", text: insert as string, values: [k, n] });
            n++;
          }
          return n;
        }),
      ),
    );
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rows = await withClient(
      url,
      async (c) => (await c.query<{ n: number }>(count as string)).rows[0]?.n ?? 0,
    );
    const commits = perConnection.reduce((a, b) => a + b, 0);
    if (rows !== commits) {
      throw new Error(
        `the commit floor made ${commits} commits but its table holds ${rows} rows: the server lost or added rows; check the server log.`,
      );
    }
    return { commits, wallSeconds, rows };
  } finally {
    await withClient(url, (c) => c.query(drop as string)).catch(() => {});
  }
}
