import { type Env, environment } from "../env.js";
import type { SqlClient } from "./client.js";

/** A node of a Citus cluster as the coordinator's metadata (pg_dist_node) names it. */
export interface CitusNode {
  host: string;
  port: number;
  /** 0 for the coordinator. */
  groupId: number;
  /** The node holds the cluster's metadata, so it can route writes itself (Citus 11+). */
  hasMetadata: boolean;
}

/** The active primary nodes registered in the connected database, coordinator first. */
export async function readNodes(client: SqlClient): Promise<CitusNode[]> {
  const { rows } = await client.query<{
    host: string;
    port: number;
    group: number;
    meta: boolean;
  }>(
    `SELECT nodename AS host, nodeport AS port, groupid AS group,
            hasmetadata AND metadatasynced AS meta
       FROM pg_dist_node
      WHERE noderole = 'primary' AND isactive
      ORDER BY groupid, nodeid`,
  );
  return rows.map((r) => ({ host: r.host, port: r.port, groupId: r.group, hasMetadata: r.meta }));
}

/** Whether the connected database has the citus extension. */
export async function hasCitus(client: SqlClient): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') AS ok",
  );
  return rows[0]?.ok === true;
}

/** `host:port`, how messages name a node. */
export const nodeName = (node: Pick<CitusNode, "host" | "port">): string =>
  `${node.host}:${node.port}`;

/**
 * The URL of `database` (default: the URL's own) on `node`: the coordinator URL with its host
 * and port replaced, so user, password and settings (sslmode, …) carry over, as Citus itself
 * reaches its workers with one role. `node` null keeps the URL's server.
 */
export function urlOnNode(
  url: string,
  node: Pick<CitusNode, "host" | "port"> | null,
  database?: string,
): string {
  const parsed = new URL(url);
  if (node) {
    parsed.hostname = node.host.includes(":") ? `[${node.host}]` : node.host;
    parsed.port = String(node.port);
  }
  if (database !== undefined) parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Where this client reaches a node the coordinator's metadata names: the node itself, or
 * the address TWEETLOAD_CITUS_NODES gives it, a list of `name:port=host:port` (separated
 * by spaces or commas) for nodes known by other names inside their network (the compose
 * profile's workers are `citus_worker1:5432` there and 127.0.0.1:5441 from the host).
 */
export function reach<T extends Pick<CitusNode, "host" | "port">>(
  node: T,
  env: Env = environment(),
): T {
  for (const pair of (env.TWEETLOAD_CITUS_NODES ?? "").split(/[\s,]+/)) {
    const [from, to] = pair.split("=");
    if (!from || !to || from !== nodeName(node)) continue;
    const at = to.lastIndexOf(":");
    const port = Number(to.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port)) {
      throw new Error(`TWEETLOAD_CITUS_NODES maps ${from} to '${to}', which is not host:port`);
    }
    return { ...node, host: to.slice(0, at).replace(/^\[|\]$/g, ""), port };
  }
  return node;
}

/** The database a URL names. */
export const databaseOf = (url: string): string =>
  decodeURIComponent(new URL(url).pathname.slice(1));
