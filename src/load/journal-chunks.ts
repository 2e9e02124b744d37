import { addNotices, type NoticeCounts } from "../transform/notices.js";
import type { ChunkKey, JournalEntry, JournalHook } from "./journal-entry.js";
import { journalVerdict } from "./journal-verdict.js";
import type { PgClient } from "./loader.js";

/** A committed chunk as tweetload.journal_chunks holds it. */
export interface ChunkRow extends ChunkKey {
  tweets: number;
  rejects: number;
  notices: NoticeCounts;
}

/** Refuses a database whose schema predates the chunk journal (as ensureJournal does). */
export async function ensureChunkJournal(client: PgClient): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(
    "SELECT to_regclass('tweetload.journal_chunks') IS NOT NULL AS ok",
  );
  if (rows[0]?.ok) return;
  throw new Error(
    "it has no chunk journal (tweetload.journal_chunks, made by services/pg_<db>/schema.sql), which a file loaded in parallel needs: apply that schema.sql again, which keeps the data (`tweetload db up` does it for the embedded clusters), or load with --jobs 1",
  );
}

const lockKey = (entry: JournalEntry, chunk: ChunkKey) =>
  `tweetload_journal\nchunk\n${entry.path}\n${entry.contentHash}\n${chunk.member}\n${chunk.index}`;

/** Whether the chunk is journaled (the caller holds its lock, or only asks). */
export async function chunkDone(
  client: PgClient,
  entry: JournalEntry,
  chunk: ChunkKey,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM tweetload.journal_chunks
      WHERE path = $1 AND content_hash = $2 AND member = $3 AND chunk = $4`,
    [entry.path, entry.contentHash, chunk.member, chunk.index],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * beginFile for a chunk, in its open transaction: takes the chunk's own lock (chunks of one
 * file never wait on each other), then closes the transaction and returns false when the
 * chunk, or (without `force`) the whole file, was finished meanwhile by another load.
 */
export async function beginChunk(
  client: PgClient,
  journal: JournalHook,
  chunk: ChunkKey,
): Promise<boolean> {
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
      lockKey(journal.entry, chunk),
    ]);
    const fileDone =
      !journal.force && (await journalVerdict(client, journal.entry)).state === "done";
    if (fileDone || (await chunkDone(client, journal.entry, chunk))) {
      await client.query("ROLLBACK");
      return false;
    }
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** The committed chunks of a file's unfinished load (path and content), in no order. */
export async function chunkRows(client: PgClient, entry: JournalEntry): Promise<ChunkRow[]> {
  const { rows } = await client.query<{
    member: string;
    chunk: number;
    chunk_lines: number;
    first_line: string;
    lines: number;
    tweets: string;
    rejects: string;
    notices: NoticeCounts;
  }>(
    `SELECT member, chunk, chunk_lines, first_line, lines, tweets, rejects, notices
       FROM tweetload.journal_chunks WHERE path = $1 AND content_hash = $2`,
    [entry.path, entry.contentHash],
  );
  return rows.map((r) => ({
    member: r.member,
    index: r.chunk,
    chunkLines: r.chunk_lines,
    firstLine: Number(r.first_line),
    lines: r.lines,
    tweets: Number(r.tweets),
    rejects: Number(r.rejects),
    notices: r.notices,
  }));
}

/** The sums of some chunk rows: what the file's journal row records. */
export function chunkTotals(rows: readonly ChunkRow[]) {
  return {
    tweets: rows.reduce((n, r) => n + r.tweets, 0),
    rejects: rows.reduce((n, r) => n + r.rejects, 0),
    notices: rows.reduce((n: NoticeCounts, r) => addNotices(n, r.notices), {}),
  };
}

/** Removes a file's chunk rows (in the caller's transaction: with its journal row, or --replace). */
export async function forgetChunks(client: PgClient, entry: JournalEntry): Promise<void> {
  await client.query("DELETE FROM tweetload.journal_chunks WHERE path = $1 AND content_hash = $2", [
    entry.path,
    entry.contentHash,
  ]);
}
