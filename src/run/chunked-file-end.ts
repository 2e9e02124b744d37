import { withClient } from "../db/client.js";
import { cutChunks } from "../input/chunk-cutter.js";
import { recordLoad } from "../load/journal.js";
import { type ChunkRow, chunkRows, chunkTotals, forgetChunks } from "../load/journal-chunks.js";
import type { ChunkKey, JournalEntry } from "../load/journal-entry.js";
import { journalVerdict } from "../load/journal-verdict.js";
import { backendGone, idsInDatabase, tweetIdsOf } from "./committed-count.js";
import type { LoadTask } from "./types.js";

const keyOf = (k: Pick<ChunkKey, "member" | "index">) => `${k.member}\n${k.index}`;

/**
 * Writes the journal row of a file whose chunks are all committed (the sums of its chunk
 * rows, which go in the same transaction), under the file's locks as beginFile takes them.
 * Returns the sums, `skipped` when another load finished the file meanwhile (and `force`
 * is off), or null when chunk rows are missing (then nothing is written).
 */
export async function finishChunkedFile(
  task: LoadTask,
  entry: JournalEntry,
  chunks: number,
): Promise<ReturnType<typeof chunkTotals> | "skipped" | null> {
  return withClient(task.url, async (client) => {
    await client.query("BEGIN");
    try {
      for (const key of [`${entry.fileName}\n${entry.contentHash}`, `path\n${entry.path}`]) {
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
          `tweetload_journal\n${key}`,
        ]);
      }
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
      return totals;
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
  /** Its loader commits as it goes: some of its tweets may be in the database. */
  commitsAsItGoes: boolean;
}

/**
 * What of an unfinished chunked file is in the database, asked of the database once the
 * backends of its loose chunks are gone (a chunk whose COMMIT was sent before a crash
 * may have committed unacknowledged): the committed chunk rows, plus, for loaders that
 * commit as they go, the tweets of each loose chunk without a row (its ids, read again
 * from the file, counted in `tweets`).
 */
export async function committedOfFile(
  task: LoadTask,
  entry: JournalEntry,
  loose: readonly LooseChunk[],
): Promise<{ rows: ChunkRow[]; tweets: number }> {
  return withClient(task.url, async (client) => {
    for (const c of loose) if (c.pid) await backendGone(client, c.pid);
    const rows = await chunkRows(client, entry);
    const done = new Set(rows.map(keyOf));
    const open = new Map(
      loose
        .filter((c) => c.commitsAsItGoes && !done.has(keyOf(c.key)))
        .map((c) => [keyOf(c.key), c]),
    );
    let tweets = chunkTotals(rows).tweets;
    if (open.size === 0) return { rows, tweets };
    const lines = rows[0]?.chunkLines ?? loose[0]?.key.chunkLines ?? 1;
    const input = task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes };
    for await (const chunk of cutChunks(task.file, lines, input)) {
      if (!open.has(keyOf({ member: chunk.member ?? "", index: chunk.index }))) continue;
      tweets += await idsInDatabase(client, await tweetIdsOf(task.file, { ...input, chunk }));
    }
    return { rows, tweets };
  });
}
