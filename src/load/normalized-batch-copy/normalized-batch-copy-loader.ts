import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { detectGeoMode } from "../../db/schema.js";
import { RefusedRowError } from "../../errors.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { GeoMode } from "../../transform/geo.js";
import { beginFile, commitFile } from "../journal.js";
import type { FileHooks, Loader, LoaderOptions, LoaderSession, PgClient } from "../loader.js";
import { newTally, tweetsOfLines } from "../rows-of-lines.js";
import { oncePerLine, ServerRefusals, traceCopyError } from "../server-refusals.js";
import { BatchCopies, type TableCopy } from "./batch-copy.js";

class NormalizedBatchSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly geoMode: GeoMode,
    private readonly batchSize: number,
  ) {}

  readonly atomicFiles = true;

  /**
   * One COPY per table of the batch, inside the file's transaction. No row locks are taken.
   * A value the server refuses comes out as a RefusedRowError naming its line.
   */
  private async writeBatch(copies: readonly TableCopy[]) {
    for (const c of copies) {
      try {
        await pipeline(Readable.from(c.data), this.client.query(copyFrom(c.sql)));
      } catch (error) {
        throw traceCopyError(error, c.sources);
      }
    }
  }

  /**
   * One file, one transaction: batches bound the memory, not the commit, so a file is
   * either all in (journal row included) or not at all. The runner repeats the file after
   * a lost connection, deadlock or serialization failure. A line whose values the server
   * refuses is rejected with the server's reason and the file is loaded again without it
   * (ServerRefusals).
   */
  async loadFile(file: string, hooks: FileHooks = {}) {
    const refused = new ServerRefusals();
    const onReject = oncePerLine(hooks.onReject);
    for (;;) {
      if (!(await beginFile(this.client, hooks.journal))) {
        return { tweets: 0, rejects: 0, skipped: true };
      }
      try {
        return await this.loadOnce(file, { ...hooks, onReject }, refused);
      } catch (error) {
        await this.client.query("ROLLBACK").catch(() => {});
        if (!(error instanceof RefusedRowError) || !onReject) throw error;
        if (!refused.add(error.source, error.refusal)) throw error.refusal;
      }
    }
  }

  private async loadOnce(file: string, hooks: FileHooks, refused: ServerRefusals) {
    const tally = newTally();
    const batch = new BatchCopies(this.geoMode);
    let tweets = 0;
    const flush = async () => {
      const size = batch.size;
      await this.writeBatch(batch.take());
      tweets += size;
      hooks.onProgress?.(tweets);
    };
    for await (const lines of readLineBatches(file, { ...hooks.input, byteStrings: true })) {
      for (const { rows, line, index } of tweetsOfLines(lines, hooks, tally, refused)) {
        batch.add(rows, { member: line.member, lineNo: line.lineNo, index });
        if (batch.size >= this.batchSize) await flush();
      }
    }
    if (batch.size > 0) await flush();
    const result = { tweets, rejects: tally.rejects, notices: tally.notices };
    hooks.accept?.(result);
    await commitFile(this.client, hooks.journal, result);
    return result;
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
