import type { JournalEntry, JournalRow } from "./journal-entry.js";
import type { PgClient } from "./loader.js";

/**
 * What the journal says of a file: `done` when its content was loaded (from this path, or,
 * moved or mounted elsewhere, under the same base name); `changed` when this path was
 * loaded with other content; `new` otherwise.
 */
export type JournalVerdict =
  | { state: "done"; row: JournalRow }
  | { state: "changed"; row: JournalRow }
  | { state: "new" };

/** A file changed in place after it was loaded: refused unless --replace or --force. */
export class FileChangedError extends Error {
  constructor(entry: JournalEntry, row: JournalRow) {
    const content = (size: number, hash: string) => `${size} bytes, SHA-1 ${hash.slice(0, 12)}`;
    super(
      `${entry.path} changed since it was loaded on ${row.finishedAt.toISOString()} ` +
        `(then ${content(row.size, row.contentHash)}; now ${content(entry.size, entry.contentHash)}): ` +
        "not loaded. --replace removes the rows of the earlier load and loads this content; " +
        "--force loads it beside them",
    );
    this.name = "FileChangedError";
  }
}

/** The journal's verdict on a file. Paths and names travel as parameters only. */
export async function journalVerdict(
  client: PgClient,
  entry: JournalEntry,
): Promise<JournalVerdict> {
  const { rows } = await client.query<{
    path: string | null;
    size: string;
    content_hash: string;
    tweets: string;
    rejects: string;
    finished_at: Date;
    loader: string;
  }>(
    `SELECT path, size, content_hash, tweets, rejects, finished_at, loader FROM tweetload.journal
      WHERE path = $1 OR (file_name = $2 AND content_hash = $3)
      ORDER BY content_hash = $3 DESC, path IS NOT DISTINCT FROM $1 DESC, finished_at DESC
      LIMIT 1`,
    [entry.path, entry.fileName, entry.contentHash],
  );
  const r = rows[0];
  if (!r) return { state: "new" };
  const row: JournalRow = {
    path: r.path,
    size: Number(r.size),
    contentHash: r.content_hash,
    tweets: Number(r.tweets),
    rejects: Number(r.rejects),
    finishedAt: r.finished_at,
    loader: r.loader,
  };
  return { state: row.contentHash === entry.contentHash ? "done" : "changed", row };
}
