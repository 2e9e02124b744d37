import type { SqlClient } from "./client.js";
import { readSqlFile } from "./sql-file.js";
import { STORAGES, type Storage } from "./storage-names.js";

export { DEFAULT_STORAGE, STORAGES, type Storage } from "./storage-names.js";

interface Found {
  toast_tuple_target: string | null;
  compression: string | null;
  default_compression: string | null;
  has_table: boolean;
  has_lz4: boolean | null;
}

const look = async (client: SqlClient): Promise<Found | undefined> =>
  (await client.query<Found>(await readSqlFile(import.meta.url, "storage-detect.sql"))).rows[0];

/** The storages the connected server can give (lz4 only in a build with it). */
export async function serverStorages(client: SqlClient): Promise<Storage[]> {
  const found = await look(client);
  return STORAGES.filter((s) => s !== "lz4" || found?.has_lz4 === true);
}

/** The storage of the connected pg_denormalized, or undefined when it has no tweets_jsonb. */
export async function detectStorage(client: SqlClient): Promise<Storage | undefined> {
  const found = await look(client);
  if (!found?.has_table) return undefined;
  if (found.toast_tuple_target !== null) return "inline";
  const method = found.compression || (found.default_compression === "lz4" ? "l" : "p");
  return method === "l" ? "lz4" : "pglz";
}

/** Makes the connected pg_denormalized's tweets_jsonb store rows as `storage` says. */
export async function applyStorage(client: SqlClient, storage: Storage): Promise<void> {
  const sql = await readSqlFile(import.meta.url, `storage-${storage}.sql`);
  try {
    await client.query(sql);
  } catch (error) {
    const message = (error as Error).message;
    const hint = /lz4/.test(message)
      ? ": this server was built without lz4; choose --storage inline or pglz"
      : "";
    throw new Error(`cannot set pg_denormalized's storage to ${storage}: ${message}${hint}`, {
      cause: error,
    });
  }
}
