import type pg from "pg";
import { readSqlFile } from "../../db/sql-file.js";
import type { JournalHook } from "../journal-entry.js";
import type { PgClient } from "../loader.js";
import type { ClusterMap, MapNode, ShardGroup } from "./cluster-map.js";

/** A hash range whose rows of the file an earlier load committed. */
export interface DoneRange {
  min: number;
  max: number;
}

/** A part row's unit: the chunk of a file, or '' and -1 for a whole file. */
export const unitOf = (journal: JournalHook) => ({
  member: journal.chunk?.member ?? "",
  chunk: journal.chunk?.index ?? -1,
});

const PARTS = "tweetload.journal_parts";

/**
 * The generation of a load of a file: its journal row's finished_at, null when the file is
 * not journaled. A part counts only for the generation that wrote it, so the parts of a load
 * that finished never stop a later `--force` load of the file from sending those rows.
 */
export async function generationOf(
  coordinator: PgClient,
  journal: JournalHook,
): Promise<Date | null> {
  const { rows } = await coordinator.query<{ at: Date }>(
    "SELECT finished_at AS at FROM tweetload.journal WHERE path = $1 AND content_hash = $2",
    [journal.entry.path, journal.entry.contentHash],
  );
  return rows[0]?.at ?? null;
}

/** The shards of journal_parts on `node`, by the map. */
const partShardsOn = (map: ClusterMap, node: MapNode): string[] =>
  map.groups
    .filter((g) => g.node.key === node.key)
    .map((g) => g.shards.get(PARTS)?.name)
    .filter((name): name is string => name !== undefined);

/** The parts of this unit and generation committed on the nodes of the map. */
export async function readParts(
  map: ClusterMap,
  clientOf: (node: MapNode) => Promise<pg.Client>,
  journal: JournalHook,
  generation: Date | null,
): Promise<DoneRange[]> {
  const template = await readSqlFile(import.meta.url, "parts.sql");
  const { member, chunk } = unitOf(journal);
  const values = [journal.entry.path, journal.entry.contentHash, member, chunk, generation];
  const perNode = await Promise.all(
    map.nodes.map(async (node) => {
      const shards = partShardsOn(map, node);
      if (shards.length === 0) return [];
      const sql = shards.map((s) => template.replaceAll("{shard}", s)).join("\nUNION ALL\n");
      const c = await clientOf(node);
      const { rows } = await c.query<{ range_min: number; range_max: number }>(sql, values);
      return rows.map((r) => ({ min: r.range_min, max: r.range_max }));
    }),
  );
  return perNode.flat();
}

/** Writes one part row per shard group written, in the node's open transaction. */
export async function insertParts(
  client: PgClient,
  groups: [ShardGroup, bigint][],
  journal: JournalHook,
  generation: Date | null,
): Promise<void> {
  if (groups.length === 0) return;
  const { member, chunk } = unitOf(journal);
  await client.query(
    `INSERT INTO ${PARTS} (key, path, content_hash, member, chunk, range_min, range_max, generation)
     SELECT k, $2, $3, $4, $5, r.min, r.max, $8
       FROM unnest($1::bigint[], $6::int[], $7::int[]) AS r (k, min, max)`,
    [
      groups.map(([, k]) => String(k)),
      journal.entry.path,
      journal.entry.contentHash,
      member,
      chunk,
      groups.map(([g]) => g.min),
      groups.map(([g]) => g.max),
      generation,
    ],
  );
}

/** Deletes this unit's parts from every node of the map, once its journal row is committed. */
export async function deleteParts(
  map: ClusterMap,
  clientOf: (node: MapNode) => Promise<pg.Client>,
  journal: JournalHook,
): Promise<void> {
  const template = await readSqlFile(import.meta.url, "parts-delete.sql");
  const { member, chunk } = unitOf(journal);
  const values = [journal.entry.path, journal.entry.contentHash, member, chunk];
  await Promise.all(
    map.nodes.map(async (node) => {
      const c = await clientOf(node);
      for (const shard of partShardsOn(map, node)) {
        await c.query(template.replaceAll("{shard}", shard), values);
      }
    }),
  );
}
