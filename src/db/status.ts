import type { GeoMode } from "../transform/geo.js";
import { withClient } from "./client.js";
import { countRows } from "./row-counts.js";
import { detectGeoMode } from "./schema.js";
import { detectStorage, type Storage } from "./storage.js";

/** What `db status` reports about one database. */
export interface DatabaseStatus {
  reachable: boolean;
  /** Why it could not be reached or read. */
  error?: string;
  serverVersion?: string;
  geoMode?: GeoMode;
  /** Rows per table and materialized view that the schema made (views are not counted). */
  rowCounts?: Record<string, number>;
  /** How tweets_jsonb stores its rows (`db reset --storage`); only where the table is. */
  storage?: Storage;
}

/** Connects to `url` and reports the geo mode and exact row counts of its tables. */
export async function databaseStatus(url: string): Promise<DatabaseStatus> {
  try {
    return await withClient(url, async (client) => {
      const version = await client.query<{ v: string }>(
        "SELECT current_setting('server_version') AS v",
      );
      const rowCounts = await countRows(client, { views: true });
      return {
        reachable: true,
        serverVersion: version.rows[0]?.v,
        geoMode: await detectGeoMode(client),
        rowCounts,
        storage: await detectStorage(client),
      };
    });
  } catch (error) {
    return { reachable: false, error: (error as Error).message };
  }
}
