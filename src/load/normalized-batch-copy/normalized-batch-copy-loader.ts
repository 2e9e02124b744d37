import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { detectGeoMode } from "../../db/schema.js";
import { PENDING_BYTES, textBytes } from "../../input/memory-bounds.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { GeoMode } from "../../transform/geo.js";
import { beginFile, commitFile } from "../journal.js";
import type { FileHooks, Loader, LoaderOptions, LoaderSession, PgClient } from "../loader.js";
import { newTally, tweetsOfLines } from "../rows-of-lines.js";
import { BatchCopies, type TableCopy } from "./batch-copy.js";

class NormalizedBatchSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly geoMode: GeoMode,
    private readonly batchSize: number,
  ) {}

  readonly atomicFiles = true;

  /** One COPY per table of the batch, inside the file's transaction. No row locks are taken. */
  private async writeBatch(copies: readonly TableCopy[]) {
    for (const c of copies) {
      await pipeline(Readable.from(c.data), this.client.query(copyFrom(c.sql)));
    }
  }

  /**
   * One file, one transaction: batches bound the memory, not the commit, so a file is
   * either all in (journal row included) or not at all. The runner repeats the file after
   * a lost connection, deadlock or serialization failure.
   */
  async loadFile(file: string, hooks: FileHooks = {}) {
    if (!(await beginFile(this.client, hooks.journal))) {
      return { tweets: 0, rejects: 0, skipped: true };
    }
    try {
      const tally = newTally();
      const batch = new BatchCopies(this.geoMode);
      let tweets = 0;
      // Bytes of lines in the batch: it is also sent at PENDING_BYTES (memory-bounds.ts).
      let pending = 0;
      const flush = async () => {
        const size = batch.size;
        pending = 0;
        await this.writeBatch(batch.take());
        tweets += size;
        hooks.onProgress?.(tweets);
      };
      for await (const lines of readLineBatches(file, { ...hooks.input, byteStrings: true })) {
        for (const rows of tweetsOfLines(lines, hooks, tally)) {
          batch.add(rows);
          if (batch.size >= this.batchSize) await flush();
        }
        pending += textBytes(lines);
        if (pending >= PENDING_BYTES && batch.size > 0) await flush();
      }
      if (batch.size > 0) await flush();
      const result = { tweets, rejects: tally.rejects, notices: tally.notices };
      hooks.accept?.(result);
      await commitFile(this.client, hooks.journal, result);
      return result;
    } catch (error) {
      await this.client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  }
}

/**
 * Batches of tweets COPYed into the constraint-free batch schema: one transaction per
 * file, deadlock-free in parallel because no statement waits on another's rows.
 */
export const normalizedBatchCopyLoader: Loader = {
  kind: "normalized_batch",
  journalName: "normalized_batch",
  open: async (client, options: LoaderOptions) =>
    new NormalizedBatchSession(client, await detectGeoMode(client), options.batchSize),
};
