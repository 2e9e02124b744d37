import type { JournalEntry, JournalRow } from "./journal-entry.js";
import type { PgClient } from "./loader.js";

/**
 * What the journal says of a file: `done` when its content was loaded (from this path, or,
 * moved or mounted elsewhere, under the same base name); `changed` when this path was
 * loaded with other content, or a load of other content from this path stopped midway
 * (its chunks are committed); `new` otherwise.
 */
export type JournalVerdict =
  | { state: "done"; row: JournalRow }
  | { state: "changed"; row: JournalRow }
  | { state: "new" };

interface Row {
  path: string | null;
  size: string;
  content_hash: string;
  tweets: string;
  rejects: string;
  finished_at: Date;
  loader: string;
}

const rowOf = (r: Row): JournalRow => ({
  path: r.path,
  size: Number(r.size),
  contentHash: r.content_hash,
  tweets: Number(r.tweets),
  rejects: Number(r.rejects),
  finishedAt: r.finished_at,
  loader: r.loader,
});

/** The journal's verdict on a file. Paths and names travel as parameters only. */
export async function journalVerdict(
  client: PgClient,
  entry: JournalEntry,
): Promise<JournalVerdict> {
  const { rows } = await client.query<Row>(
    `SELECT path, size, content_hash, tweets, rejects, finished_at, loader FROM tweetload.journal
      WHERE path = $1 OR (file_name = $2 AND content_hash = $3)
      ORDER BY content_hash = $3 DESC, path IS NOT DISTINCT FROM $1 DESC, finished_at DESC
      LIMIT 1`,
    [entry.path, entry.fileName, entry.contentHash],
  );
  const r = rows[0];
  if (r) {
    const row = rowOf(r);
    return { state: row.contentHash === entry.contentHash ? "done" : "changed", row };
  }
  // A load of other content from this path stopped midway: its rows are in.
  const { rows: chunks } = await client.query<Row>(
    `SELECT path, 0 AS size, content_hash, sum(tweets) AS tweets, sum(rejects) AS rejects,
            min(finished_at) AS finished_at, min(loader) AS loader
       FROM tweetload.journal_chunks WHERE path = $1 AND content_hash <> $2
      GROUP BY path, content_hash ORDER BY min(finished_at) LIMIT 1`,
    [entry.path, entry.contentHash],
  );
  const c = chunks[0];
  if (c) return { state: "changed", row: { ...rowOf(c), unfinished: true } };
  return { state: "new" };
}
