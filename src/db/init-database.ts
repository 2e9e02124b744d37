import pg from "pg";
import { databaseOf, urlOnNode } from "./citus-nodes.js";
import { ADMIN_DATABASE } from "./citus-setup.js";
import { withClient } from "./client.js";
import type { DbKind } from "./kinds.js";
import { applySchema } from "./schema.js";

/**
 * `db init` on a plain server: makes the database when it is missing (from the server's
 * `postgres` database) and applies the schema, which keeps whatever is there. Returns true
 * when it made the database.
 */
export async function initDatabase(url: string, kind: DbKind): Promise<boolean> {
  const name = databaseOf(url);
  const made = await withClient(urlOnNode(url, null, ADMIN_DATABASE), async (client) => {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if ((rowCount ?? 0) > 0) return false;
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return true;
  });
  await withClient(url, (client) => applySchema(client, kind));
  return made;
}
