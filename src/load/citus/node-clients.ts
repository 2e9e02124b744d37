import type pg from "pg";
import { reach, urlOnNode } from "../../db/citus-nodes.js";
import { connectClient } from "../../db/connection-config.js";
import { applySettings } from "../../db/session-settings.js";
import type { LoaderConnection } from "../loader.js";
import type { MapNode } from "./cluster-map.js";

/**
 * One connection per Citus node for a loader session, opened on first use with the
 * coordinator URL's user, password and settings (the node's own host and port), kept for
 * later files, closed with the session. `prepare` runs once on each new connection.
 */
export class NodeClients {
  private readonly open = new Map<string, Promise<pg.Client>>();

  constructor(
    private readonly coordinatorUrl: string,
    private readonly applicationName: string,
    private readonly prepare: (client: pg.Client) => Promise<void> = async () => {},
    private readonly connection: LoaderConnection = {},
  ) {}

  /** The connection to `node`; a node that cannot be reached is a sentence naming it. */
  get(node: MapNode): Promise<pg.Client> {
    let entry = this.open.get(node.key);
    if (!entry) {
      entry = (async () => {
        const url = urlOnNode(this.coordinatorUrl, reach(node));
        const { settings, ...config } = this.connection;
        let client: pg.Client;
        try {
          client = await connectClient(url, {
            application_name: this.applicationName,
            connectionTimeoutMillis: 10_000,
            ...config,
          });
        } catch (error) {
          throw new Error(
            `cannot reach Citus node ${node.key} (${(error as Error).message}): the loaders write to each node directly, with the coordinator URL's user and password (TWEETLOAD_CITUS_NODES=name:port=host:port maps a node known by another name inside its network)`,
            { cause: error },
          );
        }
        try {
          await applySettings(client, settings);
          await this.prepare(client);
          return client;
        } catch (error) {
          await client.end().catch(() => {});
          throw error;
        }
      })();
      entry.catch(() => this.open.delete(node.key));
      this.open.set(node.key, entry);
    }
    return entry;
  }

  /** The connections opened so far (failed ones left out). */
  async connected(): Promise<pg.Client[]> {
    const all = await Promise.allSettled(this.open.values());
    return all.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  }

  async closeAll(): Promise<void> {
    const clients = await this.connected();
    this.open.clear();
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}
