import type pg from "pg";
import { inTransaction } from "../../db/transaction.js";
import type { GeoMode } from "../../transform/geo.js";
import type { TweetRows } from "../../transform/rows.js";
import { type ClusterMap, groupOfKey, readClusterMap } from "../citus/cluster-map.js";
import { type DirectRoutes, shardMoved } from "../citus/direct.js";
import type { PgClient } from "../loader.js";
import { GROUP_TABLES, groupStatement } from "./citus-sql.js";
import type { Call, CallRouter } from "./per-tweet-session.js";
import { groupCalls } from "./shard-groups.js";

/**
 * The per-tweet loader's calls on Citus, each sent to the node that holds its shard group:
 * the group statement (load-group-citus.sql) on that group's shard tables, prepared once per
 * connection, so neither the coordinator nor a function call stands between the client and
 * the rows. A call whose shard moved fails its check; the placement is then read again and
 * the tweet sent where its groups now are.
 */
export class DirectCalls implements CallRouter {
  private map: ClusterMap;
  private mins: number[];
  private readonly texts = new Map<string, string>();
  private rereading: Promise<void> | null = null;
  /** The file's load id, and the connections that have it (a node met mid-file gets it too). */
  private loadId: string | undefined;
  private readonly withLoadId = new WeakSet<pg.Client>();
  readonly inFlight: number;

  constructor(
    private readonly coordinator: PgClient,
    private readonly routes: DirectRoutes,
    private readonly template: string,
    private readonly geoMode: GeoMode,
    depth: number,
  ) {
    this.map = routes.map;
    this.mins = this.map.groups.map((g) => g.min);
    this.inFlight = depth * this.map.nodes.length;
  }

  async calls(rows: TweetRows): Promise<Call[]> {
    const map = this.map;
    return Promise.all(
      groupCalls(rows, this.geoMode, this.mins).map(async (values) => {
        const group = groupOfKey(map, values[0] as string);
        const tweets = group.shards.get("tweets");
        if (!tweets) throw new Error("the shard map has no shard of tweets in a group");
        let text = this.texts.get(tweets.id);
        if (text === undefined) {
          const names = GROUP_TABLES.map((t) => group.shards.get(t)?.name as string);
          text = groupStatement(this.template, names, tweets.id);
          this.texts.set(tweets.id, text);
        }
        const client = await this.routes.nodes.get(group.node);
        if (this.loadId !== undefined && !this.withLoadId.has(client)) await this.useLoadId(client);
        return { client, name: `tweetload_group_${tweets.id}`, text, values };
      }),
    );
  }

  /** A shard moved or split: read the placement again (once for all the calls that noticed). */
  async moved(error: unknown): Promise<boolean> {
    if (!shardMoved(error)) return false;
    this.rereading ??= readClusterMap(this.coordinator, "tweets").then(
      (map) => {
        this.useMap(map);
        this.rereading = null;
      },
      (e: unknown) => {
        this.rereading = null;
        throw e;
      },
    );
    await this.rereading;
    return true;
  }

  /**
   * Before a file: the placement read again (a shard moved or a node added since the last
   * file is used from now on), and the file's load id on every node's connection.
   */
  async beginFile(loadId: string | undefined): Promise<void> {
    this.useMap(await readClusterMap(this.coordinator, "tweets"));
    this.loadId = loadId;
    const clients = await Promise.all(this.map.nodes.map((n) => this.routes.nodes.get(n)));
    if (loadId !== undefined) await Promise.all(clients.map((c) => this.useLoadId(c)));
  }

  private async useLoadId(client: pg.Client): Promise<void> {
    this.withLoadId.add(client);
    await client.query("SELECT set_config('tweetload.load_id', $1, false)", [this.loadId]);
  }

  private useMap(map: ClusterMap): void {
    this.map = map;
    this.mins = map.groups.map((g) => g.min);
  }

  /**
   * The calls committed with synchronous_commit off on each node; one synchronous commit
   * there flushes its WAL up to it, so the journal row written next never lists a file
   * whose last tweets a node could still lose in a crash.
   */
  async endFile(): Promise<void> {
    await this.eachNode((c) =>
      inTransaction(c, () => c.query("SELECT pg_current_xact_id()"), {
        first: "SET LOCAL synchronous_commit = on",
      }),
    );
  }

  private async eachNode(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
    await Promise.all((await this.routes.nodes.connected()).map(fn));
  }

  async close(): Promise<void> {
    await this.routes.nodes.closeAll();
  }
}
