import { randomBytes } from "node:crypto";
import { type CitusNode, readNodes, urlOnNode } from "../../src/db/citus-nodes.js";
import { type SqlClient, withClient } from "../../src/db/client.js";
import { DB_KINDS, type Targets } from "../../src/db/kinds.js";

/**
 * The coordinator the opt-in suite runs against: a superuser URL of the database on a Citus
 * coordinator where its workers are registered (SELECT citus_add_node(...) in `postgres`).
 * The suite's databases are made by tweetload itself (`db reset --citus`) on every node.
 */
export const citusUrl = process.env.TWEETLOAD_CITUS_URL;

/**
 * URLs of three new database names on the cluster (pg_denormalized, pg_normalized and
 * pg_normalized_batch's stand-ins), not yet made anywhere, and `drop`, which removes them
 * from the coordinator and every worker.
 */
export async function citusTargets(admin: string): Promise<{
  targets: Targets;
  workers: CitusNode[];
  /** A node the databases were made on by a test itself (a worker it added). */
  alsoDropOn(node: CitusNode): void;
  drop(): Promise<void>;
}> {
  const workers = (await withClient(admin, readNodes)).filter((n) => n.groupId !== 0);
  if (workers.length === 0) {
    throw new Error(
      "TWEETLOAD_CITUS_URL names a database with no Citus worker registered: run SELECT citus_add_node(host, port) in it for each worker",
    );
  }
  const tag = randomBytes(4).toString("hex");
  const names = DB_KINDS.map((kind) => `tweetload_citus_${tag}_${kind}`);
  const adminDb = decodeURIComponent(new URL(admin).pathname.slice(1));
  const targets = Object.fromEntries(
    DB_KINDS.map((kind, i) => [kind, urlOnNode(admin, null, names[i] as string)]),
  ) as Targets;
  const extra: CitusNode[] = [];
  return {
    targets,
    workers,
    alsoDropOn: (node) => {
      extra.push(node);
    },
    drop: async () => {
      for (const node of [null, ...workers, ...extra]) {
        await withClient(urlOnNode(admin, node, adminDb), async (client) => {
          // On the coordinator Citus drops a database it propagated on the workers too, and
          // forgets it; a worker's copy left over is dropped there next.
          if (node === null) {
            await client.query(
              "SELECT set_config('citus.enable_create_database_propagation', 'on', false) WHERE current_setting('citus.enable_create_database_propagation', true) IS NOT NULL",
            );
          }
          for (const name of names) await dropDatabase(client, name);
        });
      }
    },
  };
}

/**
 * DROP DATABASE ... WITH (FORCE), tried again while it answers 55006 ("being accessed by
 * other users"): with metadata on every node, the other nodes' Citus maintenance daemons
 * connect to the database again within the 5 s the server waits for the sessions it ended.
 */
async function dropDatabase(client: SqlClient, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // 3D000: a try before dropped it on the coordinator, and Citus's propagation of the
      // next DROP found it gone on a worker.
      if (code === "3D000") return;
      if (code !== "55006" || attempt >= 6) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}
