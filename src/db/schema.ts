import { readFile } from "node:fs/promises";
import { projectPath } from "../paths.js";
import type { GeoMode } from "../transform/geo.js";
import { type SqlClient, withClient } from "./client.js";
import { type DbKind, databaseName } from "./kinds.js";
import { type LockWatch, watchingLocks } from "./lock-waits.js";

/** The schema file of one database, shipped in `services/pg_<kind>/schema.sql`. */
export const schemaPath = (kind: DbKind): string =>
  projectPath("services", databaseName(kind), "schema.sql");

const resetPath = (): string => projectPath("services", "reset.sql");

/**
 * Creates the tables, indexes and views of `kind` in the connected database.
 * The files are idempotent: applying one to a database that has it changes nothing.
 */
export async function applySchema(client: SqlClient, kind: DbKind): Promise<void> {
  const sql = await readFile(schemaPath(kind), "utf8");
  try {
    await client.query(sql);
  } catch (error) {
    throw new Error(`applying ${schemaPath(kind)} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Drops everything a schema made (extensions stay) and applies the schema again: data is
 * gone. `watch` is told of the sessions whose locks the drops wait for, and may end them.
 */
export async function resetDatabase(url: string, kind: DbKind, watch?: LockWatch): Promise<void> {
  const sql = await readFile(resetPath(), "utf8");
  await withClient(url, (client) =>
    watchingLocks(url, client, watch, async () => {
      await client.query(sql);
      await applySchema(client, kind);
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

/** The materialized views of the connected database (the tag totals), refreshed after a load. */
export async function refreshMaterializedViews(client: SqlClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, matviewname) AS name
       FROM pg_matviews WHERE schemaname = 'public' ORDER BY matviewname`,
  );
  for (const { name } of rows) await client.query(`REFRESH MATERIALIZED VIEW ${name}`);
  return rows.map((row) => row.name);
}
