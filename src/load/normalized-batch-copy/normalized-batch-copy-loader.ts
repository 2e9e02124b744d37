import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { isDistributed } from "../../db/citus.js";
import { detectGeoMode } from "../../db/schema.js";
import { RefusedRowError } from "../../errors.js";
import { PENDING_BYTES, textBytes } from "../../input/memory-bounds.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { GeoMode } from "../../transform/geo.js";
import { type DirectRoutes, openDirect } from "../citus/direct.js";
import { SpreadTransaction } from "../citus/spread-transaction.js";
import { inFileTransaction } from "../journal.js";
import type { FileHooks, Loader, LoaderOptions, LoaderSession, PgClient } from "../loader.js";
import { newTally, tweetsOfLines } from "../rows-of-lines.js";
import { oncePerLine, ServerRefusals, traceCopyError } from "../server-refusals.js";
import { BatchCopies, type TableCopy } from "./batch-copy.js";
import { SpreadBatchCopies } from "./spread-batch.js";

/**
 * One COPY per table of a batch, on one connection (in its open transaction). No row locks
 * are taken. A value the server refuses comes out as a RefusedRowError naming its line.
 */
async function writeCopies(client: PgClient, copies: readonly TableCopy[]): Promise<void> {
  for (const c of copies) {
    try {
      await pipeline(Readable.from(c.data), client.query(copyFrom(c.sql)));
    } catch (error) {
      throw traceCopyError(error, c.sources);
    }
  }
}

class NormalizedBatchSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly geoMode: GeoMode,
    private readonly batchSize: number,
    /** On Citus: the nodes, which then take each batch's rows straight (SpreadTransaction). */
    private readonly routes: DirectRoutes | null = null,
  ) {}

  readonly atomicFiles = true;

  /**
   * One file, one transaction: batches bound the memory, not the commit, so a file is
   * either all in (journal row included) or not at all. The runner repeats the file after
   * a lost connection, deadlock or serialization failure. A line whose values the server
   * refuses is rejected with the server's reason and the file is loaded again without it
   * (ServerRefusals). On Citus with direct routes the rows go to the nodes holding them, a
   * transaction on each, committed before the journal row (what a crash between leaves:
   * docs/citus.md).
   */
  async loadFile(file: string, given: FileHooks = {}) {
    const settled = this.routes ? await SpreadTransaction.settleReplace(this.client, given) : given;
    const refused = new ServerRefusals();
    const onReject = oncePerLine(settled.onReject);
    for (;;) {
      let spread: SpreadTransaction | undefined;
      try {
        const result = await inFileTransaction(this.client, settled.journal, async () => {
          const load = (s?: SpreadTransaction) =>
            this.loadOnce(file, { ...settled, onReject }, refused, s);
          if (!this.routes) return load();
          spread = await SpreadTransaction.begin(
            this.client,
            this.routes,
            "tweets",
            settled.journal,
          );
          return spread.run(load);
        });
        if (result === null) return { tweets: 0, rejects: 0, skipped: true };
        await spread?.forgetParts();
        return result;
      } catch (error) {
        if (!(error instanceof RefusedRowError) || !onReject) throw error;
        if (!refused.add(error.source, error.refusal)) throw error.refusal;
      }
    }
  }

  private async loadOnce(
    file: string,
    hooks: FileHooks,
    refused: ServerRefusals,
    s: SpreadTransaction | undefined,
  ) {
    const tally = newTally();
    const batch = s
      ? new SpreadBatchCopies(this.geoMode, (key) => s.nodeOf(key)?.key ?? null)
      : new BatchCopies(this.geoMode);
    let tweets = 0;
    // Bytes of lines in the batch: it is also sent at PENDING_BYTES (memory-bounds.ts).
    let pending = 0;
    const flush = async () => {
      const size = batch.size;
      pending = 0;
      if (batch instanceof SpreadBatchCopies) {
        const byNode = batch.take();
        await Promise.all(
          [...byNode].map(async ([key, copies]) =>
            writeCopies(await (s as SpreadTransaction).clientOfKey(key), copies),
          ),
        );
      } else {
        await writeCopies(this.client, batch.take());
      }
      tweets += size;
      hooks.onProgress?.(tweets);
    };
    for await (const lines of readLineBatches(file, { ...hooks.input, byteStrings: true })) {
      for (const { rows, line, index } of tweetsOfLines(lines, hooks, tally, refused)) {
        batch.add(rows, { member: line.member, lineNo: line.lineNo, index });
        if (batch.size >= this.batchSize) await flush();
      }
      pending += textBytes(lines);
      if (pending >= PENDING_BYTES && batch.size > 0) await flush();
    }
    if (batch.size > 0) await flush();
    const result = { tweets, rejects: tally.rejects, notices: tally.notices };
    hooks.accept?.(result);
    return result;
  }

  async close(): Promise<void> {
    await this.routes?.nodes.closeAll();
  }
}

/**
 * Batches of tweets COPYed into the constraint-free batch schema: one transaction per
 * file, deadlock-free in parallel because no statement waits on another's rows.
 */
export const normalizedBatchCopyLoader: Loader = {
  kind: "normalized_batch",
  journalName: "normalized_batch",
  async open(client, options: LoaderOptions) {
    const routes = (await isDistributed(client))
      ? await openDirect(client, options.url, "tweets", "tweetload normalized_batch")
      : null;
    return new NormalizedBatchSession(
      client,
      await detectGeoMode(client),
      options.batchSize,
      routes,
    );
  },
};
