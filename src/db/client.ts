import type pg from "pg";
import { cancelQuery } from "./backends.js";
import { connectClient } from "./connection-config.js";

/** The part of a pg client (or pool) that the schema helpers use. */
export type SqlClient = Pick<pg.ClientBase, "query">;

/**
 * Runs `fn` with a connected client for `url` and always closes it: the one way tweetload
 * borrows a connection. `config` adds client settings (e.g. application_name). An idle
 * client whose server goes away emits 'error'; connectClient swallows that, and the
 * awaited query reports it instead.
 */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
  config: pg.ClientConfig = {},
  signal?: AbortSignal,
): Promise<T> {
  const client = await connectClient(url, config);
  // Stopped: the statement running is cancelled on the server, and fails in `fn`.
  const onAbort = () => void cancelQuery(client);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal?.aborted) onAbort();
    return await fn(client);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await client.end().catch(() => {});
  }
}
