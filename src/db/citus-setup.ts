import pg from "pg";
import {
  type CitusNode,
  databaseOf,
  hasCitus,
  nodeName,
  reach,
  readNodes,
  urlOnNode,
} from "./citus-nodes.js";
import { type SqlClient, withClient } from "./client.js";

/**
 * The coordinator's database where its workers are registered once for the whole cluster
 * (`SELECT citus_add_node(host, port)` there, as the Citus images and `citus_add_node`'s
 * documentation do): tweetload reads the node list from it.
 */
export const ADMIN_DATABASE = "postgres";

/** A node unreachable or a setup step refused: wait 10 s at most for a connection. */
const CONNECT = { connectionTimeoutMillis: 10_000 };

const q = (name: string) => pg.escapeIdentifier(name);

/** What prepareCitusDatabase found and did. */
export interface CitusSetup {
  workers: CitusNode[];
  /** Sentences for the user: what was made (nothing when all was in place). */
  done: string[];
}

/**
 * Makes what a database needs on a Citus cluster and is missing, from the coordinator URL
 * alone: the database on the coordinator and on every worker registered in the
 * coordinator's `postgres` database (or already in this one), the citus extension in each,
 * PostGIS in each when every node has it, and the workers registered in it. A new database
 * is made on all nodes by one CREATE DATABASE that Citus propagates (12.1+,
 * citus.enable_create_database_propagation) when it is missing everywhere; otherwise each
 * node missing it gets its own. Idempotent: a second run changes nothing.
 */
export async function prepareCitusDatabase(url: string): Promise<CitusSetup> {
  const database = databaseOf(url);
  const admin = urlOnNode(url, null, ADMIN_DATABASE);
  const done: string[] = [];
  const adminState = await onNode(admin, null, async (c) => ({
    citus: await hasCitus(c),
    nodes: (await hasCitus(c)) ? await readNodes(c) : [],
    exists: await databaseExists(c, database),
    propagates: await canPropagateCreateDatabase(c),
  }));
  const ownNodes = adminState.exists
    ? await onNode(url, null, async (c) => ((await hasCitus(c)) ? readNodes(c) : []))
    : [];
  const registered = [...adminState.nodes, ...ownNodes];
  const workers = unique(registered.filter((n) => n.groupId !== 0));
  if (workers.length === 0 && !adminState.citus && ownNodes.length === 0) {
    throw new Error(
      `the server at ${serverOf(url)} is not a Citus coordinator: its ${ADMIN_DATABASE} database has no citus extension (a coordinator needs shared_preload_libraries = citus, CREATE EXTENSION citus in ${ADMIN_DATABASE}, and each worker registered there once with SELECT citus_add_node(host, port))`,
    );
  }
  if (workers.length === 0) {
    throw new Error(
      `no Citus worker is registered on the coordinator ${serverOf(url)} (database ${ADMIN_DATABASE}${adminState.exists ? ` nor ${database}` : ""}): register each worker once with SELECT citus_add_node(host, port) in its ${ADMIN_DATABASE} database (the workers need shared_preload_libraries = citus and CREATE EXTENSION citus there too), then run this again`,
    );
  }
  const coordinator = registered.find((n) => n.groupId === 0) ?? coordinatorOfUrl(url);

  // The database on every node.
  const missing: (CitusNode | null)[] = adminState.exists ? [] : [null];
  for (const w of workers) {
    const url0 = urlOnNode(url, reach(w), ADMIN_DATABASE);
    if (!(await onNode(url0, w, (c) => databaseExists(c, database)))) missing.push(w);
  }
  const everywhere = missing.length === workers.length + 1;
  const adminWorkers = new Set(adminState.nodes.filter((n) => n.groupId !== 0).map(nodeName));
  if (everywhere && adminState.propagates && workers.every((w) => adminWorkers.has(nodeName(w)))) {
    await onNode(admin, null, async (c) => {
      await c.query("SET citus.enable_create_database_propagation = on");
      await c.query(`CREATE DATABASE ${q(database)}`);
    });
    done.push(
      `made ${database} on the coordinator and its ${workers.length} workers (Citus propagated CREATE DATABASE)`,
    );
  } else if (missing.length > 0) {
    for (const node of missing) {
      await onNode(urlOnNode(url, node && reach(node), ADMIN_DATABASE), node, async (c) => {
        if (await canPropagateCreateDatabase(c)) {
          await c.query("SET citus.enable_create_database_propagation = off");
        }
        await c.query(`CREATE DATABASE ${q(database)}`);
      });
    }
    done.push(
      `made ${database} on ${missing.map((n) => (n ? nodeName(n) : "the coordinator")).join(", ")}`,
    );
  }

  // citus on every node (registering a worker needs it there), then the workers registered
  // in this database, then PostGIS on the coordinator, which Citus propagates to them.
  const postgis = await postgisEverywhere(url, workers);
  for (const node of [...workers, null]) {
    await onNode(urlOnNode(url, node && reach(node)), node, async (c) => {
      // Only if missing: a worker that holds Citus metadata refuses DDL on extensions.
      if (!(await hasCitus(c))) await c.query("CREATE EXTENSION citus");
    });
  }
  const added = await onNode(url, null, async (c) => {
    const present = await readNodes(c);
    const names = new Set(present.map(nodeName));
    if (!present.some((n) => n.groupId === 0)) {
      await c.query("SELECT citus_set_coordinator_host($1, $2)", [
        coordinator.host,
        coordinator.port,
      ]);
    }
    const fresh = workers.filter((w) => !names.has(nodeName(w)));
    for (const w of fresh) await c.query("SELECT citus_add_node($1, $2)", [w.host, w.port]);
    return fresh;
  });
  if (postgis) {
    await onNode(url, null, (c) => c.query("CREATE EXTENSION IF NOT EXISTS postgis"));
  }
  if (added.length > 0) {
    done.push(`registered ${added.map(nodeName).join(", ")} in ${database}`);
  }
  return { workers, done };
}

/**
 * Runs `fn` on a node, its connection failure one sentence naming the node (null: the
 * coordinator); other errors name the node too.
 */
async function onNode<T>(
  url: string,
  node: CitusNode | null,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const where = node ? `Citus worker ${nodeName(node)}` : `the Citus coordinator ${serverOf(url)}`;
  let connected = false;
  try {
    return await withClient(
      url,
      (client) => {
        connected = true;
        return fn(client);
      },
      CONNECT,
    );
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(
      connected
        ? `on ${where} (database ${databaseOf(url)}): ${message}`
        : `cannot reach ${where} (database ${databaseOf(url)}): ${message}. tweetload makes the databases on every node and loads into the workers directly, so each node registered on the coordinator (pg_dist_node) must be reachable from here, with the coordinator URL's user and password (TWEETLOAD_CITUS_NODES=name:port=host:port maps a node known by another name inside its network)`,
      { cause: error },
    );
  }
}

async function databaseExists(client: SqlClient, name: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS ok",
    [name],
  );
  return rows[0]?.ok === true;
}

/** Citus 12.1 and later can propagate CREATE DATABASE to the workers. */
async function canPropagateCreateDatabase(client: SqlClient): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    "SELECT current_setting('citus.enable_create_database_propagation', true) IS NOT NULL AS ok",
  );
  return rows[0]?.ok === true;
}

/**
 * Whether PostGIS goes into the database: when the coordinator has it installed, every
 * worker must too (the coordinator propagates CREATE EXTENSION to them); without it on the
 * coordinator, geo is WKT text everywhere.
 */
async function postgisEverywhere(url: string, workers: CitusNode[]): Promise<boolean> {
  const available = (c: SqlClient) =>
    c
      .query<{ ok: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS ok",
      )
      .then((r) => r.rows[0]?.ok === true);
  if (!(await onNode(url, null, available))) return false;
  const lacking: CitusNode[] = [];
  for (const w of workers)
    if (!(await onNode(urlOnNode(url, reach(w)), w, available))) lacking.push(w);
  if (lacking.length > 0) {
    throw new Error(
      `PostGIS is installed on the coordinator ${serverOf(url)} but not on ${lacking.map(nodeName).join(", ")}: install it on every worker (or on none of the nodes, for geo as WKT text)`,
    );
  }
  return true;
}

function unique(nodes: CitusNode[]): CitusNode[] {
  const byName = new Map(nodes.map((n) => [nodeName(n), n]));
  return [...byName.values()];
}

const serverOf = (url: string) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || "5432"}`;
};

/** The coordinator as the URL reaches it, when no node of group 0 is registered. */
function coordinatorOfUrl(url: string): CitusNode {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), groupId: 0, hasMetadata: true };
}
