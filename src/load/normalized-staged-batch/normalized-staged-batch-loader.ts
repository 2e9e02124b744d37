import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setImmediate } from "node:timers/promises";
import { from as copyFrom } from "pg-copy-streams";
import { isDistributed } from "../../db/citus.js";
import { detectGeoMode } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import { RefusedRowError } from "../../errors.js";
import { PENDING_BYTES, textBytes } from "../../input/memory-bounds.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { GeoMode } from "../../transform/geo.js";
import { allSettledOrThrow } from "../all-settled.js";
import { groupOfKey, readClusterMap } from "../citus/cluster-map.js";
import { type DirectRoutes, openDirect } from "../citus/direct.js";
import type {
  FileHooks,
  FileResult,
  Loader,
  LoaderOptions,
  LoaderSession,
  PgClient,
} from "../loader.js";
import { urlId } from "../normalized/citus-hash.js";
import type { TableCopy } from "../normalized-batch-copy/batch-copy.js";
import { retryTransaction } from "../retry.js";
import { newTally, tweetsOfLines } from "../rows-of-lines.js";
import { oncePerLine, ServerRefusals, traceCopyError } from "../server-refusals.js";
import { readTweetSql } from "../tweet-sql.js";
import { StagingBatch } from "./staging-batch.js";

/** Lines read at once, and tweets transformed between two turns of the event loop (about 5 ms of work). */
const SLICE_LINES = 100;
const SLICE_TWEETS = 100;

/** A statement of this loader, the tweets table's columns filled in (tweet-sql.ts). */
const sqlFile = (name: string) => readTweetSql(import.meta.url, name);
/** A statement's Citus form (citus/), for a pg_normalized distributed over Citus. */
const citusSqlFile = (name: string) => readTweetSql(import.meta.url, `citus/${name}`);

/** What a file load of this loader reports: FileResult plus the transactions it repeated. */
export interface BatchedFileResult extends FileResult {
  /**
   * Batches run again after a deadlock (40P01) or serialization failure (40001). The
   * merge's lock order rules deadlocks out, so anything but 0 is a bug worth reporting.
   */
  retries: number;
}

/** Where a batch's share goes: the connection of each node key ('' without Citus routes). */
type Connections = (node: string) => Promise<PgClient>;

class NormalizedBatchedSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly geoMode: GeoMode,
    private readonly batchSize: number,
    private readonly mergeSql: string,
    private readonly urlsSql: string,
    private readonly usersSql: string,
    /** On Citus: the nodes, each taking the share of a batch it holds. */
    private readonly routes: DirectRoutes | null = null,
  ) {}

  private readonly connection: Connections = async (node) => {
    if (!this.routes || node === "") return this.client;
    const at = this.routes.map.nodes.find((n) => n.key === node);
    if (!at) throw new Error(`no Citus node ${node} in the shard map`);
    return this.routes.nodes.get(at);
  };

  /**
   * Before a file on Citus: the placement read again (a shard moved or a node added since
   * the last file is used from now on), and the file's load id on every node's connection.
   */
  private async beginOnNodes(routes: DirectRoutes, loadId: string | undefined): Promise<void> {
    routes.map = await readClusterMap(this.client, "tweets");
    const clients = await Promise.all(routes.map.nodes.map((n) => routes.nodes.get(n)));
    if (loadId === undefined) return;
    for (const c of clients) {
      await c.query("SELECT set_config('tweetload.load_id', $1, false)", [loadId]);
    }
  }

  /** A new batch, split by node on Citus. */
  private newBatch(): StagingBatch {
    const routes = this.routes;
    if (!routes) return new StagingBatch(this.geoMode);
    return new StagingBatch(this.geoMode, {
      id: (id) => groupOfKey(routes.map, id).node.key,
      url: (url) => groupOfKey(routes.map, urlId(url)).node.key,
    });
  }

  /**
   * One batch: its new urls (urls.sql, one statement), then a short transaction that
   * stages the batch's tweets and merges its users (users.sql), then the tweets'
   * transaction (merge.sql), each committed at once. The tweets are staged with the users
   * so that a value the server refuses rolls the users back too: nothing of a refused
   * tweet is committed (docs/line-rules.md), and its line is loaded again without it.
   * On Citus each node does this for its share, the nodes at once, every node's urls and
   * users committed before any tweet; a refused tweet rolls back the users of its own node
   * only (its others may be on other nodes, where they are kept: a user row stands alone).
   */
  private async writeBatch(batch: StagingBatch): Promise<number> {
    const users = batch.usersCopies();
    const tweets = batch.tweetsCopies();
    const urls = batch.tweetUrls();
    let attempts = 0;
    const nodes = new Set([...users.keys(), ...tweets.keys(), ...urls.keys()]);
    await allSettledOrThrow(
      [...nodes].map(async (node) => {
        const client = await this.connection(node);
        const pairs = urls.get(node);
        const staged = [tweets.get(node), users.get(node)].filter(
          (c): c is TableCopy => c !== undefined,
        );
        const usersSql = users.has(node) ? this.usersSql : "";
        await retryTransaction(async () => {
          attempts++;
          if (pairs) await client.query(this.urlsSql, [pairs.ids, pairs.urls]);
          // A try after a failed merge finds the staged tweets of the try before.
          await this.copyAndRun(client, staged, "DELETE FROM stage_tweets;", usersSql);
        });
      }),
    );
    await allSettledOrThrow(
      [...tweets.keys()].map(async (node) => {
        const client = await this.connection(node);
        await retryTransaction(async () => {
          attempts++;
          await this.copyAndRun(client, [], "", `${this.mergeSql};\nDELETE FROM stage_tweets;`);
        });
      }),
    );
    return attempts - nodes.size - tweets.size;
  }

  /**
   * One transaction: `before`, COPY into staging tables, then `sql`, then COMMIT. Each COPY
   * goes as one message: pg-copy-streams makes two socket writes of every piece it is given.
   */
  private async copyAndRun(
    client: PgClient,
    copies: readonly TableCopy[],
    before: string,
    sql: string,
  ): Promise<void> {
    // `sql` goes with the COMMIT, in one round trip. ON COMMIT DELETE ROWS empties
    // stage_users; stage_tweets outlives the commit until the merge has read it.
    const ends = { first: before, last: sql };
    await inTransaction(
      client,
      async () => {
        for (const copy of copies) {
          const data = Buffer.concat(copy.data);
          const copied = pipeline(Readable.from([data]), client.query(copyFrom(copy.sql)));
          await copied.catch((error) => {
            throw traceCopyError(error, copy.sources);
          });
        }
      },
      ends,
    );
  }

  /**
   * Loads the file, again without a line whose values the server refused (ServerRefusals):
   * the batches committed before it stay, and a load again passes over their tweets.
   * Reads and transforms the next batch while the server merges the previous one (at most
   * one batch in flight), so that the client's parsing and the server's merge overlap. The
   * reading yields to the event loop between small slices so that the batch in flight can
   * move on through its statements meanwhile.
   */
  async loadFile(file: string, hooks: FileHooks = {}): Promise<BatchedFileResult> {
    const refused = new ServerRefusals();
    const onReject = oncePerLine(hooks.onReject);
    for (;;) {
      try {
        return await this.loadOnce(file, { ...hooks, onReject }, refused);
      } catch (error) {
        if (!(error instanceof RefusedRowError) || !onReject) throw error;
        // The batches before it are in (a load again passes over them); this one is not.
        if (!refused.add(error.source, error.refusal)) throw error.refusal;
      }
    }
  }

  private async loadOnce(
    file: string,
    hooks: FileHooks,
    refused: ServerRefusals,
  ): Promise<BatchedFileResult> {
    const tally = newTally();
    let tweets = 0;
    let retries = 0;
    const newBatch = () => this.newBatch();
    if (this.routes) await this.beginOnNodes(this.routes, hooks.journal?.entry.loadId);
    let pending = newBatch();
    let inFlight: Promise<void> | null = null;
    const send = async (batch: StagingBatch) => {
      if (inFlight) await inFlight;
      const write = this.writeBatch(batch).then((repeated) => {
        retries += repeated;
        tweets += batch.size;
        hooks.onCommitted?.(tweets);
        hooks.onProgress?.(tweets);
      });
      // Awaited before the next batch is sent or the file ends; until then a failure
      // must not count as unhandled.
      write.catch(() => {});
      inFlight = write;
    };
    const reading = readLineBatches(file, {
      ...hooks.input,
      batchLines: SLICE_LINES,
      byteStrings: true,
    });
    try {
      // Counted in tweets, not lines: a slice of v2 page lines holds ~100 times the tweets
      // of v1.1 lines. Per slice, a batch would be a whole file; and the batch in flight,
      // whose statements move on only between turns of the event loop, would wait for the
      // client's next thousand tweets, so that client and server took turns (v2 pages
      // loaded 1.1-1.3x slower than the same tweets as v1.1 lines).
      let sinceTurn = 0;
      // Bytes of lines in the pending batch: it is also sent at PENDING_BYTES.
      let pendingBytes = 0;
      for await (const lines of reading) {
        for (const { rows, line, index } of tweetsOfLines(lines, hooks, tally, refused)) {
          pending.add(rows, { member: line.member, lineNo: line.lineNo, index });
          sinceTurn++;
          if (pending.size >= this.batchSize) {
            await send(pending);
            pending = newBatch();
            pendingBytes = 0;
            sinceTurn = 0;
          } else if (sinceTurn >= SLICE_TWEETS && inFlight) {
            await setImmediate();
            sinceTurn = 0;
          }
        }
        pendingBytes += textBytes(lines);
        if (pendingBytes >= PENDING_BYTES && pending.size > 0) {
          await send(pending);
          pending = newBatch();
          pendingBytes = 0;
        }
      }
      if (pending.size > 0) await send(pending);
    } finally {
      // A file that fails while a batch is in flight (too many rejects) lets that batch end
      // first: its commit is then counted, not left to race the connection's close.
      await (inFlight as Promise<void> | null)?.catch(() => {});
    }
    if (inFlight) await inFlight;
    return { tweets, rejects: tally.rejects, notices: tally.notices, retries };
  }

  async close(): Promise<void> {
    await this.routes?.nodes.closeAll();
  }
}

/**
 * Batches into the constrained pg_normalized schema, safe in parallel: per batch, new urls
 * and users in short transactions of their own, then the tweets COPYed into a session staging
 * table and merged (merge.sql), every insert in one global lock order, so concurrent loads
 * wait for each other but never deadlock. Batch size: the shared --batch-size default
 * (1000); 500, 2000 and 4000 measured within the noise of it.
 */
export const normalizedStagedBatchLoader: Loader = {
  kind: "normalized",
  journalName: "normalized --batch",
  async open(client, options: LoaderOptions) {
    const distributed = await isDistributed(client);
    const variant = distributed ? citusSqlFile : sqlFile;
    const [staging, merge, urls, users] = await Promise.all([
      sqlFile("staging.sql"),
      variant("merge.sql"),
      variant("urls.sql"),
      variant("users.sql"),
    ]);
    await client.query(staging);
    // On Citus each node stages its share of a batch in staging tables of its own.
    const routes = distributed
      ? await openDirect(client, options.url, "tweets", "tweetload normalized --batch", (c) =>
          c.query(staging).then(() => {}),
        )
      : null;
    return new NormalizedBatchedSession(
      client,
      await detectGeoMode(client),
      options.batchSize,
      merge,
      urls,
      users,
      routes,
    );
  },
};
