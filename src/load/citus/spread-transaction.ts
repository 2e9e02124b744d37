import type pg from "pg";
import { readSqlFile } from "../../db/sql-file.js";
import type { JournalHook } from "../journal-entry.js";
import type { PgClient } from "../loader.js";
import { hashInt8 } from "../normalized/citus-hash.js";
import {
  type ClusterMap,
  groupOfHash,
  type MapNode,
  readClusterMap,
  type ShardGroup,
} from "./cluster-map.js";
import type { DirectRoutes } from "./direct.js";

/** The part of a file a journal row of parts names: its chunk, or '' and -1 for a whole file. */
const unitOf = (journal: JournalHook | undefined) => ({
  member: journal?.chunk?.member ?? "",
  chunk: journal?.chunk?.index ?? -1,
});

/**
 * One file's (or chunk's) rows spread over the Citus nodes that hold them: a transaction on
 * each node, each writing its rows through the distributed tables (all local to the node,
 * so Citus commits them there alone) and one row in tweetload.journal_parts per shard group
 * it wrote. `commit` commits the nodes; the caller then deletes the parts (`forgetParts`)
 * and writes the journal row on the coordinator, in one transaction. Rows of groups whose
 * part an earlier, interrupted load committed are not sent again (`nodeOf` says null).
 */
export class SpreadTransaction {
  /** The first key sent to each group: the part row's key, which routes it to the group. */
  private readonly written = new Map<ShardGroup, bigint>();
  private readonly begun = new Map<string, Promise<pg.Client>>();

  private constructor(
    private readonly routes: DirectRoutes,
    private readonly map: ClusterMap,
    private readonly done: { min: number; max: number }[],
    private readonly journal: JournalHook | undefined,
  ) {}

  /** Reads the placement and the file's committed parts (inside the coordinator's transaction). */
  static async begin(
    coordinator: PgClient,
    routes: DirectRoutes,
    anchor: string,
    journal: JournalHook | undefined,
  ): Promise<SpreadTransaction> {
    const map = await readClusterMap(coordinator, anchor);
    let done: { min: number; max: number }[] = [];
    if (journal) {
      const { member, chunk } = unitOf(journal);
      const { rows } = await coordinator.query<{ range_min: number; range_max: number }>(
        await readSqlFile(import.meta.url, "parts.sql"),
        [journal.entry.path, journal.entry.contentHash, member, chunk],
      );
      done = rows.map((r) => ({ min: r.range_min, max: r.range_max }));
    }
    return new SpreadTransaction(routes, map, done, journal);
  }

  /** Groups already committed by an earlier load of this file. */
  get partsDone(): number {
    return this.done.length;
  }

  /** The node a row with distribution key `key` goes to; null when its part is committed. */
  nodeOf(key: bigint | string): MapNode | null {
    const k = BigInt(key);
    const group = groupOfHash(this.map, hashInt8(k));
    if (this.done.some((r) => r.min <= group.min && group.max <= r.max)) return null;
    if (!this.written.has(group)) this.written.set(group, k);
    return group.node;
  }

  /** The connection of the node with key `key` (host:port), in this load's transaction. */
  clientOfKey(key: string): Promise<pg.Client> {
    const node = this.map.nodes.find((n) => n.key === key);
    if (!node) throw new Error(`no Citus node ${key} in the shard map`);
    return this.client(node);
  }

  /** The node's connection, in this load's transaction (opened on first use). */
  client(node: MapNode): Promise<pg.Client> {
    let client = this.begun.get(node.key);
    if (!client) {
      client = this.routes.nodes.get(node).then(async (c) => {
        await c.query("BEGIN");
        const loadId = this.journal?.entry.loadId;
        if (loadId !== undefined) {
          await c.query("SELECT set_config('tweetload.load_id', $1, true)", [loadId]);
        }
        return c;
      });
      this.begun.set(node.key, client);
    }
    return client;
  }

  /** Writes each node's part rows and commits the nodes (each on its own). */
  async commit(): Promise<void> {
    const { member, chunk } = unitOf(this.journal);
    const entry = this.journal?.entry;
    await Promise.all(
      [...this.begun].map(async ([key, pending]) => {
        const c = await pending;
        const groups = [...this.written].filter(([g]) => g.node.key === key);
        if (entry && groups.length > 0) {
          await c.query(
            `INSERT INTO tweetload.journal_parts
               (key, path, content_hash, member, chunk, range_min, range_max)
             SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[],
                                  $6::int[], $7::int[])`,
            [
              groups.map(([, k]) => String(k)),
              groups.map(() => entry.path),
              groups.map(() => entry.contentHash),
              groups.map(() => member),
              groups.map(() => chunk),
              groups.map(([g]) => g.min),
              groups.map(([g]) => g.max),
            ],
          );
        }
        await c.query("COMMIT");
      }),
    );
  }

  /** Rolls back every node's transaction that is still open. */
  async rollback(): Promise<void> {
    await Promise.allSettled(
      [...this.begun.values()].map((p) => p.then((c) => c.query("ROLLBACK"))),
    );
  }

  /**
   * Deletes the file's parts, in the coordinator's transaction that writes its journal row:
   * once the file is journaled its parts say nothing more, and a later `--force` load of
   * it must start with none.
   */
  async forgetParts(coordinator: PgClient): Promise<void> {
    if (!this.journal) return;
    const { member, chunk } = unitOf(this.journal);
    await coordinator.query(
      `DELETE FROM tweetload.journal_parts
        WHERE path = $1 AND content_hash = $2 AND member = $3 AND chunk = $4`,
      [this.journal.entry.path, this.journal.entry.contentHash, member, chunk],
    );
  }
}
