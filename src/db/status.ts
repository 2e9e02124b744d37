import type { GeoMode } from "../transform/geo.js";
import { withClient } from "./client.js";
import { detectGeoMode } from "./schema.js";

/** What `db status` reports about one database. */
export interface DatabaseStatus {
  reachable: boolean;
  /** Why it could not be reached or read. */
  error?: string;
  serverVersion?: string;
  geoMode?: GeoMode;
  /** Rows per table and materialized view that the schema made (views are not counted). */
  rowCounts?: Record<string, number>;
}

/** Connects to `url` and reports the geo mode and exact row counts of its tables. */
export async function databaseStatus(url: string): Promise<DatabaseStatus> {
  try {
    return await withClient(url, async (client) => {
      const version = await client.query<{ v: string }>(
        "SELECT current_setting('server_version') AS v",
      );
      const relations = await client.query<{ name: string }>(
        `SELECT format('%I', c.relname) AS name
           FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm')
            AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          ORDER BY c.relname`,
      );
      const rowCounts: Record<string, number> = {};
      for (const { name } of relations.rows) {
        const { rows } = await client
          .query<{ n: string }>(`SELECT count(*) AS n FROM ${name}`)
          .catch(
            // A materialized view that was never refreshed cannot be read yet.
            () => ({ rows: [{ n: "NaN" }] }),
          );
        rowCounts[name] = Number(rows[0]?.n);
      }
      return {
        reachable: true,
        serverVersion: version.rows[0]?.v,
        geoMode: await detectGeoMode(client),
        rowCounts,
      };
    });
  } catch (error) {
    return { reachable: false, error: (error as Error).message };
  }
}
