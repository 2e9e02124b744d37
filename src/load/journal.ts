import type { NoticeCounts } from "../transform/notices.js";
import type { PgClient } from "./loader.js";

/** Who a file is to the journal: its base name and content, and the loader that loads it. */
export interface JournalEntry {
  /** Base name of the archive: a re-run from another directory still finds it. */
  fileName: string;
  size: number;
  /** Hex SHA-1 of the whole file (see src/input/file-identity.ts). */
  contentHash: string;
  loader: string;
}

/** A file's row in tweetload.journal. */
export interface JournalRow {
  tweets: number;
  rejects: number;
  finishedAt: Date;
  loader: string;
}

/** What a loader needs to keep the journal: the entry, and whether to load a finished file again. */
export interface JournalHook {
  entry: JournalEntry;
  force: boolean;
}

/**
 * Refuses a database whose schema has no load journal (`tweetload.journal`, created by
 * services/pg_<db>/schema.sql): without it a re-run could load a file twice.
 */
export async function ensureJournal(client: PgClient): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(
    "SELECT to_regclass('tweetload.journal') IS NOT NULL AS ok",
  );
  if (rows[0]?.ok) return;
  throw new Error(
    "it has no load journal (tweetload.journal): apply its services/pg_<db>/schema.sql, or run `tweetload db reset` (drops its data)",
  );
}

/** The journal row of a file finished earlier, if any. File names travel as parameters only. */
export async function finishedLoad(
  client: PgClient,
  entry: JournalEntry,
): Promise<JournalRow | undefined> {
  const { rows } = await client.query<{
    tweets: string;
    rejects: string;
    finished_at: Date;
    loader: string;
  }>(
    `SELECT tweets, rejects, finished_at, loader FROM tweetload.journal
      WHERE file_name = $1 AND content_hash = $2`,
    [entry.fileName, entry.contentHash],
  );
  const row = rows[0];
  return row
    ? {
        tweets: Number(row.tweets),
        rejects: Number(row.rejects),
        finishedAt: row.finished_at,
        loader: row.loader,
      }
    : undefined;
}

/** What the journal keeps of a finished file's counts. */
export interface JournalCounts {
  tweets: number;
  rejects: number;
  notices?: NoticeCounts;
}

/** Records a finished file (inside the caller's transaction, when it has one). */
export async function recordLoad(
  client: PgClient,
  entry: JournalEntry,
  result: JournalCounts,
): Promise<void> {
  await client.query(
    `INSERT INTO tweetload.journal (file_name, size, content_hash, loader, tweets, rejects, notices)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (file_name, content_hash) DO UPDATE
       SET size = EXCLUDED.size, loader = EXCLUDED.loader, tweets = EXCLUDED.tweets,
           rejects = EXCLUDED.rejects, notices = EXCLUDED.notices, finished_at = now()`,
    [
      entry.fileName,
      entry.size,
      entry.contentHash,
      entry.loader,
      result.tweets,
      result.rejects,
      JSON.stringify(result.notices ?? {}),
    ],
  );
}

/**
 * Opens a file's transaction. With a journal it first takes a transaction-scoped lock on
 * the file's key, so two processes loading the same file take turns, and looks again:
 * returns false (transaction closed) when the file was finished meanwhile.
 */
export async function beginFile(client: PgClient, journal?: JournalHook): Promise<boolean> {
  await client.query("BEGIN");
  if (!journal) return true;
  try {
    const { entry } = journal;
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      `tweetload_journal\n${entry.fileName}\n${entry.contentHash}`,
    ]);
    if (!journal.force && (await finishedLoad(client, entry))) {
      await client.query("ROLLBACK");
      return false;
    }
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Records the file in the journal (if any) and commits its transaction. */
export async function commitFile(
  client: PgClient,
  journal: JournalHook | undefined,
  result: JournalCounts,
): Promise<void> {
  if (journal) await recordLoad(client, journal.entry, result);
  await client.query("COMMIT");
}
