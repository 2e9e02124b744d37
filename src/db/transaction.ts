import type { SqlClient } from "./client.js";

/** Statements that go in the same round trip as the BEGIN, or as the COMMIT. */
export interface TransactionEnds {
  /** Sent with the BEGIN (e.g. clearing a staging table). */
  first?: string;
  /**
   * Sent with the COMMIT, in one simple query: an error in it skips the COMMIT (the server
   * runs no statement of a query string after a failed one) and the transaction rolls back.
   */
  last?: string;
}

/** Opens a transaction on `client`, with `first` in the same round trip. */
export async function begin(client: SqlClient, first?: string): Promise<void> {
  await client.query(first ? `BEGIN;${first}` : "BEGIN");
}

/** Commits the open transaction, with `last` before it in the same round trip. */
export async function commit(client: SqlClient, last?: string): Promise<void> {
  // The newline ends a comment `last` may end with; the semicolon, its last statement.
  await client.query(last ? `${last}\n;COMMIT;` : "COMMIT");
}

/**
 * Rolls the open transaction back. Its own failure (the connection gone, which ends the
 * transaction anyway) is swallowed: the error that led here is the one worth telling.
 */
export async function rollback(client: SqlClient): Promise<void> {
  await client.query("ROLLBACK").catch(() => {});
}

/**
 * Runs `fn` in one transaction on `client`: BEGIN, `fn`, COMMIT; when anything throws
 * (the COMMIT too) the transaction is rolled back and the first error thrown on. The one
 * place tweetload opens and closes a transaction on a connection.
 */
export async function inTransaction<T>(
  client: SqlClient,
  fn: () => Promise<T>,
  ends: TransactionEnds = {},
): Promise<T> {
  try {
    // Inside: a `first` that fails leaves the transaction open, aborted.
    await begin(client, ends.first);
    const result = await fn();
    await commit(client, ends.last);
    return result;
  } catch (error) {
    await rollback(client);
    throw error;
  }
}
