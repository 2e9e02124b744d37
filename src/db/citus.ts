import { readFile } from "node:fs/promises";
import { projectPath } from "../paths.js";
import { prepareCitusDatabase } from "./citus-setup.js";
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

/** The databases whose COPY loaders keep tweetload.journal_parts on Citus (journal-parts.sql). */
const PARTS_KINDS: readonly DbKind[] = ["denormalized", "normalized_batch"];

/**
 * Lays the connected, freshly reset database out over the Citus cluster: checks the
 * extension and the workers (services/citus/prepare.sql), applies the plain schema,
 * distributes its tables with `shards` shards each (default: one per worker) (services/citus/pg_<kind>.sql), then
 * applies the schema again for what distributing had to drop (the materialized views), and
 * adds the journal of parts its COPY loader keeps there (journal-parts.sql).
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
  await applyCitusAdditions(client, kind);
  return count;
}

/**
 * What the Citus loaders need beside the schema, and the Citus forms of the schema's
 * functions where they differ (idempotent; after every application of the schema file).
 */
async function applyCitusAdditions(client: SqlClient, kind: DbKind): Promise<void> {
  if (PARTS_KINDS.includes(kind)) await client.query(await citusFile("journal-parts.sql"));
  const own: Partial<Record<DbKind, string>> = {
    denormalized: "pg_denormalized-forget-load.sql",
    normalized_batch: "pg_normalized_batch-tag-views.sql",
  };
  const file = own[kind];
  if (file) await client.query(await citusFile(file));
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

/** What `db reset --citus` or `db init --citus` did to one database. */
export interface DistributedLayout {
  /** Shards per table; 0 when init found the database laid out already. */
  shards: number;
  /** Sentences: what the cluster setup made (databases, extensions, workers registered). */
  setup: string[];
}

/**
 * `db reset --citus`: makes what the database lacks on the cluster (prepareCitusDatabase),
 * drops what the schema made, then lays it out again distributed (by default one shard per
 * worker).
 */
export async function resetDistributed(
  url: string,
  kind: DbKind,
  shards?: number,
  watch?: LockWatch,
): Promise<DistributedLayout> {
  const { done } = await prepareCitusDatabase(url);
  const reset = await readFile(projectPath("services", "reset.sql"), "utf8");
  const count = await withClient(url, (client) =>
    watchingLocks(url, client, watch, async () => {
      // Before anything is dropped: a server that cannot take the layout keeps its data.
      await checkCluster(client);
      await client.query(reset);
      return distributeSchema(client, kind, shards);
    }),
  );
  return { shards: count, setup: done };
}

/**
 * `db init --citus`: makes what the database lacks on the cluster and lays the schema out
 * when it is not distributed yet; a database already laid out keeps its data and gets the
 * schema files applied again (they change nothing that is there).
 */
export async function initDistributed(
  url: string,
  kind: DbKind,
  shards?: number,
): Promise<DistributedLayout> {
  const { done } = await prepareCitusDatabase(url);
  const count = await withClient(url, async (client) => {
    if (!(await isDistributed(client))) return distributeSchema(client, kind, shards);
    await checkCluster(client);
    await applySchema(client, kind);
    await applyCitusAdditions(client, kind);
    return 0;
  });
  return { shards: count, setup: done };
}
