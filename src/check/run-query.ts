import type pg from "pg";
import { withClient } from "../db/client.js";

/** What running a query needs of a client (pg.Client and pg.PoolClient both fit). */
export interface QueryClient {
  query(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult>;
}

/** Every value as PostgreSQL's own text output, exactly what psql shows. */
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

/**
 * Runs one query and renders its rows as `psql -X -A -t -F '|'` does: fields
 * joined by '|', NULL as an empty field.
 */
export async function queryRows(client: QueryClient, sql: string): Promise<string[]> {
  const result = await client.query({
    text: sql,
    rowMode: "array",
    types: RAW_TEXT as unknown as pg.CustomTypesConfig,
  });
  return result.rows.map((row) => (row as (string | null)[]).map((v) => v ?? "").join("|"));
}

/**
 * Opens a client for `url` with the session settings of check-answers.sh, runs `fn`, always
 * closes; an aborted `signal` cancels the query running on the server.
 */
export async function withCheckClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  return withClient(
    url,
    async (client) => {
      await client.query("SET TimeZone = 'UTC'");
      return fn(client);
    },
    { application_name: "tweetload check" },
    signal,
  );
}
