import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { detectGeoMode } from "../../db/schema.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { FileHooks, Loader, LoaderOptions, LoaderSession, PgClient } from "../loader.js";
import { retryTransaction } from "../retry.js";
import { rowsOfLines } from "../rows-of-lines.js";
import { BatchCopies, type TableCopy } from "./batch-copy.js";

/** Tweets per batch unless --batch-size says otherwise (chosen by measurement). */
export const DEFAULT_BATCH_SIZE = 1000;

class NormalizedBatchSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly geoMode: "postgis" | "text",
    private readonly batchSize: number,
  ) {}

  /** One batch, one transaction, one COPY per table. Nothing here takes a row lock. */
  private async writeBatch(copies: readonly TableCopy[]) {
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
    const batch = new BatchCopies(this.geoMode);
    let tweets = 0;
    const flush = async () => {
      const size = batch.size;
      await this.writeBatch(batch.take());
      tweets += size;
      hooks.onProgress?.(tweets);
    };
    for await (const lines of readLineBatches(file)) {
      for (const rows of rowsOfLines(lines, hooks, rejected)) {
        batch.add(rows);
        if (batch.size >= this.batchSize) await flush();
      }
    }
    if (batch.size > 0) await flush();
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
