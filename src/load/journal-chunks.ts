import { addNotices, type NoticeCounts } from "../transform/notices.js";
import type { ChunkKey, JournalEntry, JournalHook } from "./journal-entry.js";
import { lockChunk } from "./journal-locks.js";
import { journalVerdict } from "./journal-verdict.js";
import type { PgClient } from "./loader.js";

/** A committed chunk as tweetload.journal_chunks holds it. */
export interface ChunkRow extends ChunkKey {
  tweets: number;
  rejects: number;
  notices: NoticeCounts;
}

/**
 * Refuses a database whose schema predates the chunk journal, or its file_name column (as
 * ensureJournal does): every load looks for the chunks of an unfinished load of its file.
 */
export async function ensureChunkJournal(client: PgClient): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM information_schema.columns
                     WHERE table_schema = 'tweetload' AND table_name = 'journal_chunks'
                       AND column_name = 'file_name') AS ok`,
  );
  if (rows[0]?.ok) return;
  throw new Error(
    "its chunk journal (tweetload.journal_chunks, made or upgraded by services/journal.sql) is missing or older than this tweetload: apply the schema again, which keeps the data (`tweetload db up` does it for the embedded clusters), or run `tweetload db reset` (drops the data)",
  );
}

/**
 * The chunk rows of a content: its SHA-1 under its base name (as the journal knows a
 * finished file), or under its path for rows written before chunk rows had a name. So a
 * file moved to another folder, and standard input (a new spool folder every run), find
 * the chunks an earlier load of the same content committed.
 */
const OF_CONTENT = "content_hash = $1 AND (file_name = $2 OR path = $3)";
const contentParams = (entry: JournalEntry) => [entry.contentHash, entry.fileName, entry.path];

/** Whether the chunk is journaled (the caller holds its lock, or only asks). */
export async function chunkDone(
  client: PgClient,
  entry: JournalEntry,
  chunk: ChunkKey,
): Promise<boolean> {
  const { rowCount } = await client.query(
    `SELECT 1 FROM tweetload.journal_chunks WHERE ${OF_CONTENT} AND member = $4 AND chunk = $5`,
    [...contentParams(entry), chunk.member, chunk.index],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * openFile for a chunk, in its open transaction: takes the chunk's locks (its content
 * shared, so the chunks of one content never wait on each other, then the chunk's own),
 * then returns false when the chunk, or (without `force`) the whole file, was finished
 * meanwhile by another load.
 */
export async function beginChunk(
  client: PgClient,
  journal: JournalHook,
  chunk: ChunkKey,
): Promise<boolean> {
  await lockChunk(client, journal.entry, chunk, journal.onWait);
  const fileDone = !journal.force && (await journalVerdict(client, journal.entry)).state === "done";
  return !(fileDone || (await chunkDone(client, journal.entry, chunk)));
}

/**
 * The committed chunks of the content's unfinished load, each once (two loads from two
 * folders whose tweets commit as they go may both record a chunk), in no order.
 */
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
    `SELECT DISTINCT ON (member, chunk)
            member, chunk, chunk_lines, first_line, lines, tweets, rejects, notices
       FROM tweetload.journal_chunks WHERE ${OF_CONTENT}
      ORDER BY member, chunk, path = $3 DESC`,
    contentParams(entry),
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

/**
 * Removes the content's chunk rows: in the transaction that writes its journal row (the
 * file is loaded, whichever load finished it), or after another load finished it.
 */
export async function forgetChunks(client: PgClient, entry: JournalEntry): Promise<void> {
  await client.query(`DELETE FROM tweetload.journal_chunks WHERE ${OF_CONTENT}`, [
    ...contentParams(entry),
  ]);
}
