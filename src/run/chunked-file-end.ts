import { withClient } from "../db/client.js";
import { lockFile, recordLoad } from "../load/journal.js";
import { type ChunkRow, chunkRows, chunkTotals, forgetChunks } from "../load/journal-chunks.js";
import type { ChunkKey, JournalEntry } from "../load/journal-entry.js";
import { journalVerdict } from "../load/journal-verdict.js";
import { backendGone, idsInDatabase, tweetIdsOf } from "./committed-count.js";
import type { LoadTask } from "./types.js";

/**
 * Writes the journal row of a file whose chunks are all committed (the sums of its chunk
 * rows, which go in the same transaction), under the file's locks as beginFile takes them.
 * Returns the sums and the rows summed, `skipped` when another load finished the file
 * meanwhile (and `force` is off), or null when chunk rows are missing (then nothing is
 * written).
 */
export async function finishChunkedFile(
  task: LoadTask,
  entry: JournalEntry,
  chunks: number,
): Promise<(ReturnType<typeof chunkTotals> & { rows: ChunkRow[] }) | "skipped" | null> {
  return withClient(task.url, async (client) => {
    await client.query("BEGIN");
    try {
      await lockFile(client, entry);
      if (!task.force && (await journalVerdict(client, entry)).state === "done") {
        await client.query("ROLLBACK");
        return "skipped";
      }
      const rows = await chunkRows(client, entry);
      if (rows.length !== chunks) {
        await client.query("ROLLBACK");
        return null;
      }
      const totals = chunkTotals(rows);
      if (totals.tweets > 0) {
        await recordLoad(client, entry, totals);
        await forgetChunks(client, entry);
      }
      await client.query("COMMIT");
      return { ...totals, rows };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  });
}

/** A chunk that did not end committed, and what the pool knows of its worker. */
export interface LooseChunk {
  key: ChunkKey;
  /** Its backend's pid (0: never connected). */
  pid: number;
}

/**
 * What of an unfinished chunked file is in the database, asked of the database once the
 * backends of its loose chunks are gone (a chunk whose COMMIT was sent before a crash
 * may have committed unacknowledged). In pg_normalized, whose loaders commit as they go
 * and keep one row per tweet id, that is the file's distinct tweet ids found in `tweets`
 * (read again from the file), as tweetsInDatabase counts an unfinished whole file: a
 * chunk row counts the tweet lines it took, so two committed chunks holding the same
 * tweet would count it twice. Elsewhere (one row per line, chunks atomic) it is the sum of
 * the committed chunk rows.
 */
export async function committedOfFile(
  task: LoadTask,
  entry: JournalEntry,
  loose: readonly LooseChunk[],
): Promise<{ rows: ChunkRow[]; tweets: number }> {
  return withClient(task.url, async (client) => {
    for (const c of loose) if (c.pid) await backendGone(client, c.pid);
    const rows = await chunkRows(client, entry);
    if (task.db !== "normalized") return { rows, tweets: chunkTotals(rows).tweets };
    const input = task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes };
    return { rows, tweets: await idsInDatabase(client, await tweetIdsOf(task.file, input)) };
  });
}
