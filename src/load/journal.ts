import { inTransaction } from "../db/transaction.js";
import { ChunksCommittedError, FileChangedError } from "../errors.js";
import type { NoticeCounts } from "../transform/notices.js";
import { forgetEarlierLoad } from "./forget-load.js";
import { beginChunk, type ChunkRow, chunkRows, forgetChunks } from "./journal-chunks.js";
import type { ChunkKey, JournalEntry, JournalHook } from "./journal-entry.js";
import { lockFile } from "./journal-locks.js";
import { journalVerdict } from "./journal-verdict.js";
import type { PgClient } from "./loader.js";

/**
 * Refuses a database whose schema has no load journal with paths (services/journal.sql
 * makes it): without it a re-run could load a file twice.
 */
export async function ensureJournal(client: PgClient): Promise<void> {
  const { rows } = await client.query<{ ok: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM information_schema.columns
                     WHERE table_schema = 'tweetload' AND table_name = 'journal'
                       AND column_name = 'load_id') AS ok`,
  );
  if (rows[0]?.ok) return;
  throw new Error(
    "it has no load journal with file paths (tweetload.journal, made or upgraded by services/journal.sql): apply the schema again, which keeps the data (`tweetload db up` does it for the embedded clusters), or run `tweetload db reset` (drops the data)",
  );
}

/** What the journal keeps of a finished file's counts. */
export interface JournalCounts {
  tweets: number;
  rejects: number;
  notices?: NoticeCounts;
}

/**
 * Records a finished file (inside the caller's transaction, when it has one), and forgets
 * the chunk rows of its content: whichever load finished it, it is loaded.
 */
export async function recordLoad(
  client: PgClient,
  entry: JournalEntry,
  result: JournalCounts,
): Promise<void> {
  await client.query(
    `INSERT INTO tweetload.journal
       (file_name, path, load_id, size, content_hash, loader, tweets, rejects, notices)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (path, content_hash) DO UPDATE
       SET file_name = EXCLUDED.file_name, size = EXCLUDED.size, loader = EXCLUDED.loader,
           tweets = EXCLUDED.tweets, rejects = EXCLUDED.rejects, notices = EXCLUDED.notices,
           finished_at = now()`,
    [
      entry.fileName,
      entry.path,
      entry.loadId,
      entry.size,
      entry.contentHash,
      entry.loader,
      result.tweets,
      result.rejects,
      JSON.stringify(result.notices ?? {}),
    ],
  );
  await forgetChunks(client, entry);
}

/**
 * Records a committed chunk of a file loaded in parallel (inside the chunk's transaction,
 * or, for the loaders that commit as they go, after its last tweet). The one place chunk
 * rows are written, beside recordLoad for files.
 */
export async function recordChunk(
  client: PgClient,
  entry: JournalEntry,
  chunk: ChunkKey,
  result: JournalCounts,
): Promise<void> {
  await client.query(
    `INSERT INTO tweetload.journal_chunks
       (path, content_hash, load_id, member, chunk, chunk_lines, first_line, lines, loader,
        tweets, rejects, notices, file_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (path, content_hash, member, chunk) DO UPDATE
       SET tweets = EXCLUDED.tweets, rejects = EXCLUDED.rejects, notices = EXCLUDED.notices,
           finished_at = now()`,
    [
      entry.path,
      entry.contentHash,
      entry.loadId,
      chunk.member,
      chunk.index,
      chunk.chunkLines,
      chunk.firstLine,
      chunk.lines,
      entry.loader,
      result.tweets,
      result.rejects,
      JSON.stringify(result.notices ?? {}),
      entry.fileName,
    ],
  );
}

/**
 * Looks at the file in its open transaction. With a journal it first takes the file's locks
 * (its content, exclusive, so that no other load of the content runs meanwhile, then its
 * path) and looks again: returns false when the file was finished meanwhile, throws
 * FileChangedError when its path was loaded with other content, throws ChunksCommittedError
 * when a load in chunks committed some of it (unless `replace`, which removes the earlier
 * load's rows inside this transaction).
 */
async function openFile(client: PgClient, journal?: JournalHook): Promise<boolean> {
  if (!journal) return true;
  if (journal.chunk) return beginChunk(client, journal, journal.chunk);
  const { entry } = journal;
  await lockFile(client, entry, journal.onWait);
  if (journal.replace) {
    journal.onReplaced?.(await forgetEarlierLoad(client, entry));
    return true;
  }
  if (!journal.force) {
    const verdict = await journalVerdict(client, entry);
    if (verdict.state === "changed") throw new FileChangedError(entry, verdict.row);
    if (verdict.state === "done") return false;
  }
  const chunks = await chunkRows(client, entry);
  if (chunks.length > 0) throw new ChunksCommittedError<ChunkRow>(chunks);
  return true;
}

/**
 * A file (or chunk) loaded as one transaction, which the journal owns: it opens it (the
 * locks and looks of openFile), runs `write`, which only writes the file's rows and returns
 * its counts, records the file in the journal (if any) and commits. When anything throws
 * the transaction is rolled back and the error thrown on. Returns null when the file was
 * finished meanwhile (nothing written; the transaction is closed).
 */
export async function inFileTransaction<R extends JournalCounts>(
  client: PgClient,
  journal: JournalHook | undefined,
  write: () => Promise<R>,
): Promise<R | null> {
  return inTransaction(client, async () => {
    if (!(await openFile(client, journal))) return null;
    const result = await write();
    if (journal) {
      journal.beforeCommit?.();
      if (journal.chunk) await recordChunk(client, journal.entry, journal.chunk, result);
      else await recordLoad(client, journal.entry, result);
    }
    return result;
  });
}
