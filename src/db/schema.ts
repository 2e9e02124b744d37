import { readFile } from "node:fs/promises";
import { projectPath } from "../paths.js";
import type { GeoMode } from "../transform/geo.js";
import { type SqlClient, withClient } from "./client.js";
import { type DbKind, databaseName } from "./kinds.js";
import { type LockWatch, watchingLocks } from "./lock-waits.js";
import { applyStorage, detectStorage, type Storage } from "./storage.js";
import { inTransaction } from "./transaction.js";

/** The schema file of one database, shipped in `services/pg_<kind>/schema.sql`. */
export const schemaPath = (kind: DbKind): string =>
  projectPath("services", databaseName(kind), "schema.sql");

/** The load journal every database holds, one file for the three (and their upgrades). */
export const journalPath = (): string => projectPath("services", "journal.sql");

/** The user-snapshot rule's SQL function, the same for the three (loaders and views call it). */
const userSnapshotPath = (): string => projectPath("services", "user-snapshot.sql");

/**
 * The files that make database `kind`, in the order they are applied: the journal and the
 * user-snapshot rule of every database, the tweets table both normalized ones share
 * (services/tweets.sql), then the database's own schema.
 */
export const schemaFiles = (kind: DbKind): string[] => [
  journalPath(),
  userSnapshotPath(),
  ...(kind === "denormalized" ? [] : [projectPath("services", "tweets.sql")]),
  schemaPath(kind),
];

const resetPath = (): string => projectPath("services", "reset.sql");

/**
 * Applies schemaFiles(kind) in the connected database: the load journal and the
 * user-snapshot rule, then the tables, indexes and views of `kind`. The files are idempotent: applying one to a database that has it changes
 * nothing, and the journal's upgrades an older tweetload's journal in place.
 */
export async function applySchema(client: SqlClient, kind: DbKind): Promise<void> {
  for (const path of schemaFiles(kind)) {
    const sql = await readFile(path, "utf8");
    try {
      await client.query(sql);
    } catch (error) {
      throw new Error(`applying ${path} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * Drops everything a schema made (extensions stay) and applies the schema again: data is
 * gone. `watch` is told of the sessions whose locks the drops wait for, and may end them.
 * pg_denormalized's table gets `storage` when given, else the storage it had (a database
 * made before storage was a choice keeps pglz), else the schema's default.
 */
export async function resetDatabase(
  url: string,
  kind: DbKind,
  storage?: Storage,
  watch?: LockWatch,
): Promise<void> {
  const sql = await readFile(resetPath(), "utf8");
  await withClient(url, (client) =>
    watchingLocks(url, client, watch, async () => {
      const keep = kind === "denormalized" ? (storage ?? (await detectStorage(client))) : undefined;
      // One transaction: a storage the server refuses (lz4 on a build without it) leaves
      // the database as it was, data and all.
      await inTransaction(client, async () => {
        await client.query(sql);
        await applySchema(client, kind);
        if (keep) await applyStorage(client, keep);
      });
    }),
  );
}

/**
 * Whether `tweets.geo` of the connected database is PostGIS geometry or WKT text.
 * Before a schema is applied, whether PostGIS is installed in it decides.
 */
export async function detectGeoMode(client: SqlClient): Promise<GeoMode> {
  const { rows } = await client.query<{ type: string | null; postgis: boolean }>(
    `SELECT
       (SELECT t.typname::text
          FROM pg_attribute AS a JOIN pg_type AS t ON t.oid = a.atttypid
         WHERE a.attrelid = to_regclass('tweets') AND a.attname = 'geo' AND NOT a.attisdropped) AS type,
       EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') AS postgis`,
  );
  const row = rows[0];
  if (row?.type) return row.type === "geometry" ? "postgis" : "text";
  return row?.postgis ? "postgis" : "text";
}

/**
 * How long the views' refresh after a load may run before it is cancelled (`load
 * --refresh-timeout`). The refresh costs about 2 µs per tweet loaded (0.2 s for the
 * 100,000 tweets of the full-size set), and a tweet adds at most 62,500 tag pairs
 * (docs/line-rules.md), so five minutes is some hundred million tweets: a database that
 * takes longer says so, and `tweetload db refresh` refreshes it without a limit.
 */
export const DEFAULT_REFRESH_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The materialized views of the connected database (the tag totals), refreshed after a
 * load, each within `timeoutMs` (0: no limit). A refresh that runs past it is cancelled
 * and throws (its errorKind is `canceled`): the view keeps its earlier rows.
 */
export async function refreshMaterializedViews(
  client: SqlClient,
  timeoutMs = 0,
): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, matviewname) AS name
       FROM pg_matviews WHERE schemaname = 'public' ORDER BY matviewname`,
  );
  await client.query(`SET statement_timeout = ${Math.max(0, Math.round(timeoutMs))}`);
  try {
    for (const { name } of rows) await client.query(`REFRESH MATERIALIZED VIEW ${name}`);
  } finally {
    await client.query("RESET statement_timeout").catch(() => {});
  }
  return rows.map((row) => row.name);
}
