import { randomBytes } from "node:crypto";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type Targets } from "../../src/db/kinds.js";

/**
 * The coordinator the opt-in suite runs against: a superuser URL of a database on a Citus
 * coordinator whose workers are registered in it (SELECT citus_add_node(...)). The suite
 * makes databases of its own beside it, on the coordinator and on every worker.
 */
export const citusUrl = process.env.TWEETLOAD_CITUS_URL;

interface Node {
  host: string;
  port: number;
}

const urlOn = (base: string, node: Node | null, database: string) => {
  const url = new URL(base);
  if (node) {
    url.hostname = node.host;
    url.port = String(node.port);
  }
  url.pathname = `/${database}`;
  return url.toString();
};

/**
 * Three new databases on the cluster (pg_denormalized, pg_normalized and
 * pg_normalized_batch's stand-ins), each created on the coordinator and every worker with
 * the citus extension, and the admin database's workers registered in them. The workers are
 * reached with the coordinator URL's user and password.
 */
export async function citusTargets(
  admin: string,
): Promise<{ targets: Targets; drop(): Promise<void> }> {
  const { workers, coordinator } = await withClient(admin, async (client) => {
    const { rows } = await client.query<{ host: string; port: number; group: number }>(
      `SELECT nodename AS host, nodeport AS port, groupid AS group FROM pg_dist_node
        WHERE noderole = 'primary' AND isactive ORDER BY nodeid`,
    );
    return {
      workers: rows.filter((row) => row.group !== 0),
      coordinator: rows.find((row) => row.group === 0) ?? null,
    };
  });
  if (workers.length === 0) {
    throw new Error(
      `TWEETLOAD_CITUS_URL names a database with no Citus worker registered: run SELECT citus_add_node(host, port) in it for each worker`,
    );
  }
  const tag = randomBytes(4).toString("hex");
  const names = DB_KINDS.map((kind) => `tweetload_citus_${tag}_${kind}`);
  const nodes: (Node | null)[] = [null, ...workers];
  for (const node of nodes) {
    await withClient(urlOn(admin, node, new URL(admin).pathname.slice(1)), async (client) => {
      for (const name of names) await client.query(`CREATE DATABASE "${name}"`);
    });
    for (const name of names) {
      await withClient(urlOn(admin, node, name), (client) =>
        client.query("CREATE EXTENSION IF NOT EXISTS citus"),
      );
    }
  }
  for (const name of names) {
    await withClient(urlOn(admin, null, name), async (client) => {
      if (coordinator) {
        await client.query("SELECT citus_set_coordinator_host($1, $2)", [
          coordinator.host,
          coordinator.port,
        ]);
      }
      for (const w of workers)
        await client.query("SELECT citus_add_node($1, $2)", [w.host, w.port]);
    });
  }
  const targets = Object.fromEntries(
    DB_KINDS.map((kind, i) => [kind, urlOn(admin, null, names[i] as string)]),
  ) as Targets;
  return {
    targets,
    drop: async () => {
      for (const node of [...nodes].reverse()) {
        await withClient(urlOn(admin, node, new URL(admin).pathname.slice(1)), async (client) => {
          for (const name of names) {
            await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          }
        });
      }
    },
  };
}
