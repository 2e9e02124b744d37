import { readFile } from "node:fs/promises";
import { projectPath } from "../paths.js";
import { checkShardCount } from "./citus-shards.js";
import { type SqlClient, withClient } from "./client.js";
import { type DbKind, databaseName } from "./kinds.js";
import { type LockWatch, watchingLocks } from "./lock-waits.js";
import { applySchema } from "./schema.js";

/** The distribution file of a database: `services/citus/pg_<kind>.sql`. */
export const distributionPath = (kind: DbKind): string =>
  projectPath("services", "citus", `${databaseName(kind)}.sql`);

const citusFile = (name: string) => readFile(projectPath("services", "citus", name), "utf8");

/**
 * Whether the connected database's `tweets` (or `tweets_jsonb`) is a Citus distributed
 * table: the loaders then use their Citus forms. False on any server without Citus.
 */
export async function isDistributed(client: SqlClient): Promise<boolean> {
  const { rows } = await client.query<{ citus: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS citus",
  );
  if (!rows[0]?.citus) return false;
  const dist = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_dist_partition
      WHERE logicalrelid IN (to_regclass('tweets'), to_regclass('tweets_jsonb'))`,
  );
  return (dist.rows[0]?.n ?? 0) > 0;
}

/**
 * Lays the connected, freshly reset database out over the Citus cluster: checks the
 * extension and the workers (services/citus/prepare.sql), applies the plain schema,
 * distributes its tables with `shards` shards each (default: one per worker) (services/citus/pg_<kind>.sql), then
 * applies the schema again for what distributing had to drop (the materialized views).
 */
export async function distributeSchema(
  client: SqlClient,
  kind: DbKind,
  shards?: number,
): Promise<number> {
  await checkCluster(client);
  await applySchema(client, kind);
  const count = shards ?? (await workerCount(client));
  await client.query(`SET citus.shard_count = ${checkShardCount(count)}`);
  try {
    await client.query(await readFile(distributionPath(kind), "utf8"));
  } catch (error) {
    throw new Error(`applying ${distributionPath(kind)} failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await applySchema(client, kind);
  return count;
}

/** Fails with what to do unless the connected database has Citus and a worker (prepare.sql). */
async function checkCluster(client: SqlClient): Promise<void> {
  try {
    await client.query(await citusFile("prepare.sql"));
  } catch (error) {
    const { message, hint } = error as { message: string; hint?: string };
    throw new Error(hint ? `${message}. ${hint}` : message, { cause: error });
  }
}

/** The active workers registered in the connected database (prepare.sql checked there is one). */
async function workerCount(client: SqlClient): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND groupid <> 0",
  );
  return Math.max(1, rows[0]?.n ?? 1);
}

/**
 * `db reset --citus`: drops what the schema made, then lays it out again distributed;
 * returns the shard count used (by default one per worker).
 */
export async function resetDistributed(
  url: string,
  kind: DbKind,
  shards?: number,
  watch?: LockWatch,
): Promise<number> {
  const reset = await readFile(projectPath("services", "reset.sql"), "utf8");
  return withClient(url, (client) =>
    watchingLocks(url, client, watch, async () => {
      // Before anything is dropped: a server that cannot take the layout keeps its data.
      await checkCluster(client);
      await client.query(reset);
      return distributeSchema(client, kind, shards);
    }),
  );
}
