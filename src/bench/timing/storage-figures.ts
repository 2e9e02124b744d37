import { loadQueries } from "../../check/queries.js";
import { queryRows, withCheckClient } from "../../check/run-query.js";
import { withClient } from "../../db/client.js";
import { type Storage, serverStorages } from "../../db/storage.js";

/** Seconds of each checker query (sql/, in order) on the database at `url`, run as `check` runs them. */
export async function timeCheckerQueries(url: string): Promise<number[]> {
  const queries = await loadQueries();
  return withCheckClient(url, async (client) => {
    const seconds: number[] = [];
    for (const query of queries) {
      const started = performance.now();
      await queryRows(client, query.sql);
      seconds.push((performance.now() - started) / 1000);
    }
    return seconds;
  });
}

/** Bytes on disk of `tweets_jsonb` with its TOAST table, after a checkpoint. */
export const tableBytes = (url: string): Promise<number> =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ bytes: string }>(
      "SELECT pg_total_relation_size('tweets_jsonb')::text AS bytes",
    );
    return Number(rows[0]?.bytes);
  });

/** Whether the server at `url` can store pg_denormalized as `storage` (lz4 needs a build with it). */
export const serverHas = (url: string, storage: Storage): Promise<boolean> =>
  withClient(url, async (client) => (await serverStorages(client)).includes(storage));
