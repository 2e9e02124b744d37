import type pg from "pg";
import { connectClient } from "./connection-config.js";

/** The part of a pg client (or pool) that the schema helpers use. */
export type SqlClient = Pick<pg.ClientBase, "query">;

/** Runs `fn` with a connected client for `url` and always closes it. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await connectClient(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}
