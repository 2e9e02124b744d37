import type pg from "pg";
import { errorCode } from "../../errors.js";
import type { LoaderConnection, PgClient } from "../loader.js";
import { type ClusterMap, readClusterMap } from "./cluster-map.js";
import { NodeClients } from "./node-clients.js";

/** A loader session's way to the nodes: where the shards are, and a connection to each. */
export interface DirectRoutes {
  map: ClusterMap;
  nodes: NodeClients;
}

/** Nodes already named on stderr by this thread (once each, not once per session). */
const told = new Set<string>();

function tell(key: string, line: string): void {
  if (told.has(key)) return;
  told.add(key);
  process.stderr.write(`tweetload: ${line}\n`);
}

/**
 * The direct routes of a session on a database distributed over Citus: the placement of
 * `anchor` and its co-located tables (read from the coordinator), and a connection to
 * every node holding a shard group. Null when the session must go through the coordinator
 * as before: no coordinator URL to reach the nodes with, a node without Citus metadata (it
 * could not route a write itself), or a node this client cannot reach (one line on stderr
 * names it; e.g. the compose profile's workers, known by their names inside Docker's
 * network). `connection`: how each node's connection is opened (pipelined or not).
 */
export async function openDirect(
  coordinator: PgClient,
  url: string | undefined,
  anchor: string,
  applicationName: string,
  prepare?: (client: pg.Client) => Promise<void>,
  connection: LoaderConnection = {},
): Promise<DirectRoutes | null> {
  if (url === undefined) return null;
  const map = await readClusterMap(coordinator, anchor);
  const database = (await coordinator.query<{ db: string }>("SELECT current_database() AS db"))
    .rows[0]?.db;
  const lacking = map.nodes.filter((n) => !n.hasMetadata);
  if (lacking.length > 0) {
    tell(
      `meta ${database}`,
      `${lacking.map((n) => n.key).join(", ")} hold(s) no Citus metadata (start_metadata_sync_to_node), so ${database} loads through the coordinator`,
    );
    return null;
  }
  const nodes = new NodeClients(url, applicationName, prepare, connection);
  try {
    await Promise.all(map.nodes.map((n) => nodes.get(n)));
  } catch (error) {
    await nodes.closeAll();
    tell(
      `reach ${database}`,
      `${(error as Error).message}; ${database} loads through the coordinator instead`,
    );
    return null;
  }
  return { map, nodes };
}

/** Whether an error says a shard is no longer where the map put it (moved or split). */
export function shardMoved(error: unknown): boolean {
  const code = errorCode(error);
  // TL001: tweetload.shard_here; 42P01: a shard table gone (dropped after a move or split).
  return code === "TL001" || code === "42P01";
}
