import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { detectGeoMode } from "../../db/schema.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { TweetRows } from "../../transform/rows.js";
import type { FileHooks, Loader, LoaderOptions, LoaderSession, PgClient } from "../loader.js";
import { retryTransaction } from "../retry.js";
import { rowsOfLines } from "../rows-of-lines.js";
import { batchCopies } from "./batch-copy.js";

/** Tweets per batch unless --batch-size says otherwise (chosen by measurement). */
export const DEFAULT_BATCH_SIZE = 1000;

class NormalizedBatchSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly geoMode: "postgis" | "text",
    private readonly batchSize: number,
  ) {}

  /** One batch, one transaction, one COPY per table. Nothing here takes a row lock. */
  private async writeBatch(batch: readonly TweetRows[]) {
    const copies = batchCopies(batch, this.geoMode);
    await retryTransaction(async () => {
      await this.client.query("BEGIN");
      try {
        for (const c of copies) {
          await pipeline(Readable.from(c.data), this.client.query(copyFrom(c.sql)));
        }
        await this.client.query("COMMIT");
      } catch (error) {
        await this.client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    });
  }

  async loadFile(file: string, hooks: FileHooks = {}) {
    const rejected = { count: 0 };
    let tweets = 0;
    let pending: TweetRows[] = [];
    for await (const lines of readLineBatches(file, {
      batchLines: Math.min(this.batchSize, 1000),
    })) {
      for (const rows of rowsOfLines(lines, hooks, rejected)) pending.push(rows);
      if (pending.length >= this.batchSize) {
        await this.writeBatch(pending);
        tweets += pending.length;
        pending = [];
        hooks.onProgress?.(tweets);
      }
    }
    if (pending.length > 0) await this.writeBatch(pending);
    tweets += pending.length;
    hooks.onProgress?.(tweets);
    return { tweets, rejects: rejected.count };
  }
}

/**
 * Batches of tweets COPYed into the constraint-free batch schema: one transaction per
 * batch, deadlock-free in parallel because no statement waits on another's rows.
 */
export const normalizedBatchLoader: Loader = {
  kind: "normalized_batch",
  open: async (client, options: LoaderOptions) =>
    new NormalizedBatchSession(client, await detectGeoMode(client), options.batchSize),
};
