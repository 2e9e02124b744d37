import type pg from "pg";
import { begin, commit, rollback } from "../../db/transaction.js";
import { replaceEarlierLoad } from "../forget-load.js";
import type { JournalHook } from "../journal-entry.js";
import type { FileHooks, PgClient } from "../loader.js";
import { hashInt8 } from "../normalized/citus-hash.js";
import {
  type ClusterMap,
  groupOfHash,
  type MapNode,
  readClusterMap,
  type ShardGroup,
} from "./cluster-map.js";
import type { DirectRoutes } from "./direct.js";
import { type DoneRange, deleteParts, generationOf, insertParts, readParts } from "./parts.js";

/**
 * One file's (or chunk's) rows spread over the Citus nodes that hold them: a transaction on
 * each node, each writing its rows through the distributed tables (all local to the node,
 * so Citus commits them there alone) and one row in tweetload.journal_parts per shard group
 * it wrote. `commit` commits the nodes; the caller then writes the journal row on the
 * coordinator, and `forgetParts` deletes the parts. Rows of groups whose part an earlier,
 * interrupted load of this generation committed are not sent again (`nodeOf` says null).
 * The coordinator runs no distributed statement: placement from its catalog, journal rows.
 */
export class SpreadTransaction {
  /** The first key sent to each group: the part row's key, which routes it to the group. */
  private readonly written = new Map<ShardGroup, bigint>();
  private readonly begun = new Map<string, Promise<pg.Client>>();

  private constructor(
    private readonly routes: DirectRoutes,
    private readonly map: ClusterMap,
    private readonly done: DoneRange[],
    private readonly journal: JournalHook | undefined,
    private readonly generation: Date | null,
  ) {}

  /**
   * `--replace` for a load spread over the nodes: forgets the earlier load of the path in a
   * transaction of its own, before the file's, and returns the hooks of a plain load. In the
   * file's transaction the forgetting would be undone by a crash after some nodes committed
   * (both loads' rows then, the old journal row skipping the file); this way a crash leaves
   * the path unjournaled, with this load's parts, and the next run finishes it.
   */
  static async settleReplace(coordinator: PgClient, hooks: FileHooks): Promise<FileHooks> {
    const journal = hooks.journal;
    if (!journal?.replace || journal.chunk) return hooks;
    journal.onReplaced?.(await replaceEarlierLoad(coordinator, journal.entry));
    return { ...hooks, journal: { ...journal, replace: false } };
  }

  /** Reads the placement and the file's committed parts (inside the coordinator's transaction). */
  static async begin(
    coordinator: PgClient,
    routes: DirectRoutes,
    anchor: string,
    journal: JournalHook | undefined,
  ): Promise<SpreadTransaction> {
    const map = await readClusterMap(coordinator, anchor);
    if (!journal) return new SpreadTransaction(routes, map, [], journal, null);
    const generation = await generationOf(coordinator, journal);
    const done = await readParts(map, (n) => routes.nodes.get(n), journal, generation);
    return new SpreadTransaction(routes, map, done, journal, generation);
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
        await begin(c);
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

  /**
   * Runs `write` with this transaction, then commits the nodes (each on its own, before the
   * coordinator's journal row); rolls every node back when anything throws, before the
   * coordinator's transaction rolls back, and throws on.
   */
  async run<R>(write: (s: SpreadTransaction) => Promise<R>): Promise<R> {
    try {
      const result = await write(this);
      await this.commit();
      return result;
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** Writes each node's part rows and commits the nodes (each on its own). */
  private async commit(): Promise<void> {
    await Promise.all(
      [...this.begun].map(async ([key, pending]) => {
        const c = await pending;
        if (this.journal) {
          const groups = [...this.written].filter(([g]) => g.node.key === key);
          await insertParts(c, groups, this.journal, this.generation);
        }
        await commit(c);
      }),
    );
  }

  /** Rolls back every node's transaction that is still open. */
  private async rollback(): Promise<void> {
    await Promise.allSettled([...this.begun.values()].map((p) => p.then(rollback)));
  }

  /**
   * Deletes the file's parts on the nodes once its journal row is committed: they say
   * nothing more. A failure here changes nothing that matters (the next load of the file is
   * of another generation), so it is not the file's.
   */
  async forgetParts(): Promise<void> {
    if (!this.journal) return;
    await deleteParts(this.map, (n) => this.routes.nodes.get(n), this.journal).catch(() => {});
  }
}
