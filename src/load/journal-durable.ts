import { inTransaction } from "../db/transaction.js";
import { type JournalCounts, recordLoad } from "./journal.js";
import type { JournalEntry } from "./journal-entry.js";
import type { PgClient } from "./loader.js";

/**
 * Records a finished file of a loader that commits as it goes, in a transaction of its own
 * whose commit waits for the WAL flush whatever the session's synchronous_commit says.
 * The per-tweet loader commits its tweets with synchronous_commit = off; a synchronous
 * commit flushes all WAL written before it, so once this row is durable every tweet it
 * counts is too, and a server crash can only lose tweets of files the journal does not
 * list (a re-run loads those again; the per-tweet writes are idempotent).
 */
export async function recordLoadDurably(
  client: PgClient,
  entry: JournalEntry,
  result: JournalCounts,
): Promise<void> {
  await inTransaction(client, () => recordLoad(client, entry, result), {
    first: "SET LOCAL synchronous_commit = on",
  });
}
