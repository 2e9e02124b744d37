import type { ChunkKey, JournalEntry } from "./journal-entry.js";
import type { PgClient } from "./loader.js";

/**
 * The advisory locks that make a file's content and its load one fact (docs/faults.md,
 * "One load per content"). One lock per content (base name and SHA-1, what the journal
 * knows a file by): a load of the whole file holds it exclusively, for its transaction or,
 * where tweets commit as they go, for its connection's whole load; each chunk of a file
 * loaded in chunks holds it shared, so chunks of one content load side by side (in one
 * process or several) while a whole-file load of the same content waits for them, and
 * they for it. Locks are always taken content first, then path or chunk, so two loads
 * never wait on each other in a cycle.
 */
const key = (...parts: string[]) => ["tweetload_journal", ...parts].join("\n");

/** The lock of a content (the same key earlier tweetloads took for a file's transaction). */
export const contentLockKey = (entry: Pick<JournalEntry, "fileName" | "contentHash">) =>
  key(entry.fileName, entry.contentHash);

const pathLockKey = (entry: JournalEntry) => key("path", entry.path);

const chunkLockKey = (entry: JournalEntry, chunk: ChunkKey) =>
  key("chunk", entry.fileName, entry.contentHash, chunk.member, String(chunk.index));

type Scope = "xact" | "session";
type Mode = "exclusive" | "shared";

/** PostgreSQL's advisory lock functions: pg_[try_]advisory[_xact]_lock[_shared], pg_advisory_unlock[_shared]. */
const fn = (what: "lock" | "try" | "unlock", scope: Scope, mode: Mode) => {
  const shared = mode === "shared" ? "_shared" : "";
  if (what === "unlock") return `pg_advisory_unlock${shared}`;
  return `pg_${what === "try" ? "try_" : ""}advisory${scope === "xact" ? "_xact" : ""}_lock${shared}`;
};

/**
 * Takes one advisory lock; when another holds it, `onWait` is told (once) before this
 * waits for it.
 */
async function take(
  client: PgClient,
  lockKey: string,
  scope: Scope,
  mode: Mode,
  onWait?: () => void,
): Promise<void> {
  if (onWait) {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT ${fn("try", scope, mode)}(hashtextextended($1, 0)) AS ok`,
      [lockKey],
    );
    if (rows[0]?.ok) return;
    onWait();
  }
  await client.query(`SELECT ${fn("lock", scope, mode)}(hashtextextended($1, 0))`, [lockKey]);
}

/**
 * The transaction-scoped locks of a whole file: its content (exclusive), then its path. For
 * inFileTransaction and the end of a chunked file.
 */
export async function lockFile(
  client: PgClient,
  entry: JournalEntry,
  onWait?: () => void,
): Promise<void> {
  await take(client, contentLockKey(entry), "xact", "exclusive", onWait);
  await take(client, pathLockKey(entry), "xact", "exclusive");
}

/** The transaction-scoped locks of a chunk: its content (shared), then the chunk itself. */
export async function lockChunk(
  client: PgClient,
  entry: JournalEntry,
  chunk: ChunkKey,
  onWait?: () => void,
): Promise<void> {
  await take(client, contentLockKey(entry), "xact", "shared", onWait);
  await take(client, chunkLockKey(entry, chunk), "xact", "exclusive");
}

/** The path's lock alone, for `--replace` of a loader that commits as it goes. */
export async function lockPath(client: PgClient, entry: JournalEntry): Promise<void> {
  await take(client, pathLockKey(entry), "xact", "exclusive");
}

/**
 * The content's lock held by the connection (not a transaction) for a load whose tweets
 * commit as they go: exclusive for a whole file, shared for a chunk. Returns its release;
 * a connection that closes (or breaks) releases it too.
 */
export async function holdContent(
  client: PgClient,
  entry: JournalEntry,
  mode: Mode,
  onWait?: () => void,
): Promise<() => Promise<void>> {
  const lockKey = contentLockKey(entry);
  await take(client, lockKey, "session", mode, onWait);
  return async () => {
    await client.query(`SELECT ${fn("unlock", "session", mode)}(hashtextextended($1, 0))`, [
      lockKey,
    ]);
  };
}
