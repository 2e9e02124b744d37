import { readSqlFile } from "../../db/sql-file.js";
import type { PgClient } from "../loader.js";
import { hashInt8 } from "../normalized/citus-hash.js";

/** A node holding shards, as the coordinator's metadata names it. */
export interface MapNode {
  host: string;
  port: number;
  /** `host:port`: the key of its connection. */
  key: string;
  /** It holds the metadata, so it can route a write itself (Citus 11+). */
  hasMetadata: boolean;
}

/** One shard group: a hash range and, per co-located table, its shard there. */
export interface ShardGroup {
  min: number;
  max: number;
  node: MapNode;
  /** Per table (as regclass text: `tweets`, `tweetload.journal_parts`): shard id and name. */
  shards: Map<string, { id: string; name: string }>;
}

/** Where the rows of a distributed table and its co-located tables live. */
export interface ClusterMap {
  /** Ascending by hash range. */
  groups: ShardGroup[];
  /** The nodes holding at least one group. */
  nodes: MapNode[];
}

/** The placement of `anchor` (tweets or tweets_jsonb) and its co-located tables. */
export async function readClusterMap(client: PgClient, anchor: string): Promise<ClusterMap> {
  const sql = await readSqlFile(import.meta.url, "cluster-map.sql");
  const { rows } = await client.query<{
    min: number;
    max: number;
    table_name: string;
    shard_id: string;
    shard_name: string;
    host: string;
    port: number;
    meta: boolean;
  }>(sql, [anchor]);
  const nodes = new Map<string, MapNode>();
  const groups = new Map<number, ShardGroup>();
  for (const r of rows) {
    const key = `${r.host}:${r.port}`;
    let node = nodes.get(key);
    if (!node) {
      node = { host: r.host, port: r.port, key, hasMetadata: r.meta };
      nodes.set(key, node);
    }
    let group = groups.get(r.min);
    if (!group) {
      group = { min: r.min, max: r.max, node, shards: new Map() };
      groups.set(r.min, group);
    }
    group.shards.set(r.table_name, { id: r.shard_id, name: r.shard_name });
  }
  if (groups.size === 0) {
    throw new Error(
      `${anchor} has no shards (pg_dist_shard): run \`tweetload db reset --citus\` again`,
    );
  }
  return { groups: [...groups.values()], nodes: [...nodes.values()] };
}

/** The group whose hash range holds `hash` (the groups cover the whole int32 range). */
export function groupOfHash(map: ClusterMap, hash: number): ShardGroup {
  const { groups } = map;
  let lo = 0;
  let hi = groups.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((groups[mid] as ShardGroup).min <= hash) lo = mid;
    else hi = mid - 1;
  }
  return groups[lo] as ShardGroup;
}

/** The group holding distribution key `key` (a bigint column). */
export const groupOfKey = (map: ClusterMap, key: bigint | string): ShardGroup =>
  groupOfHash(map, hashInt8(BigInt(key)));
