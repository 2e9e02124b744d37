import pg from "pg";

/** The part of a pg client (or pool) that the schema helpers use. */
export type SqlClient = Pick<pg.ClientBase, "query">;

/** Runs `fn` with a connected client for `url` and always closes it. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // An idle client whose server goes away emits 'error'; the awaited query reports it instead.
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
