import { inTransaction } from "../db/transaction.js";
import type { JournalEntry } from "./journal-entry.js";
import { lockPath } from "./journal-locks.js";
import type { PgClient } from "./loader.js";

/** Every row this connection inserts from now on carries the file's load id (column DEFAULT). */
export async function useLoadId(client: PgClient, entry: JournalEntry): Promise<void> {
  await client.query("SELECT set_config('tweetload.load_id', $1, false)", [entry.loadId]);
}

/**
 * Removes what earlier loads of the entry's path put in (tweetload.forget_load, one per
 * schema) and their journal rows; returns the number of tweet rows removed. Runs in the
 * caller's transaction, when it has one.
 */
export async function forgetEarlierLoad(client: PgClient, entry: JournalEntry): Promise<number> {
  const { rows } = await client.query<{ n: string }>("SELECT tweetload.forget_load($1) AS n", [
    entry.loadId,
  ]);
  await client.query("DELETE FROM tweetload.journal WHERE path = $1", [entry.path]);
  // And the chunks of its unfinished parallel load (a schema made before them has none).
  await client.query(
    `DELETE FROM tweetload.journal_chunks
      WHERE to_regclass('tweetload.journal_chunks') IS NOT NULL AND path = $1`,
    [entry.path],
  );
  // On Citus, the parts of an interrupted load committed on their nodes (journal-parts.sql).
  const { rows: parts } = await client.query<{ ok: boolean }>(
    "SELECT to_regclass('tweetload.journal_parts') IS NOT NULL AS ok",
  );
  if (parts[0]?.ok) {
    await client.query("DELETE FROM tweetload.journal_parts WHERE path = $1", [entry.path]);
  }
  return Number(rows[0]?.n ?? 0);
}

/**
 * `--replace` for loaders that commit as they go: forgets the earlier load in a transaction
 * of its own, under the path's lock. A crash after it leaves the path out of the journal,
 * so the next run loads the file as new.
 */
export async function replaceEarlierLoad(client: PgClient, entry: JournalEntry): Promise<number> {
  return inTransaction(client, async () => {
    await lockPath(client, entry);
    return forgetEarlierLoad(client, entry);
  });
}
