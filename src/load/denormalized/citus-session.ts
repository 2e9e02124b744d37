import type { NoticeCounts } from "../../transform/notices.js";
import { CopyFanOut, StreamError } from "../citus/copy-fan-out.js";
import type { DirectRoutes } from "../citus/direct.js";
import { SpreadTransaction } from "../citus/spread-transaction.js";
import { beginFile, commitFile } from "../journal.js";
import type { FileHooks, LoaderSession, PgClient, Rejected } from "../loader.js";
import { CITUS_COPY_SQL, citusData, type RowRoute } from "./citus-data.js";
import { CopyLineMap } from "./copy-line-map.js";
import { nextPass, type PassState, reportRejects } from "./copy-refusals.js";

/** The stream key of rows that go through the coordinator. */
const COORDINATOR = "";

/**
 * pg_denormalized on Citus: each row carries its id (citus-data.ts), and goes straight to
 * the node holding its shard group, one COPY and one transaction per node (`routes`); the
 * coordinator keeps only the journal. Without direct routes (a node out of reach) every
 * row goes through the coordinator in the file's transaction, as on a plain server.
 * The passes are the plain loader's: optimistic first, validating after a refusal.
 */
export class CitusDenormalizedSession implements LoaderSession {
  readonly atomicFiles = true;

  constructor(
    private readonly client: PgClient,
    private readonly routes: DirectRoutes | null,
  ) {}

  async loadFile(file: string, given: FileHooks = {}) {
    const hooks = this.routes ? await SpreadTransaction.settleReplace(this.client, given) : given;
    const state: PassState = { validate: false, refused: new Map() };
    for (;;) {
      const lines = new Map<string, CopyLineMap>();
      const rejects: Rejected[] = [];
      const notices: NoticeCounts = {};
      if (!(await beginFile(this.client, hooks.journal))) {
        return { tweets: 0, rejects: 0, skipped: true };
      }
      let spread: SpreadTransaction | undefined;
      let fan: CopyFanOut | undefined;
      try {
        const s = this.routes
          ? await SpreadTransaction.begin(this.client, this.routes, "tweets_jsonb", hooks.journal)
          : undefined;
        spread = s;
        const route: RowRoute = s ? (id) => s.nodeOf(id)?.key ?? null : () => COORDINATOR;
        const copies = new CopyFanOut(async (key) => ({
          client: s ? await s.clientOfKey(key) : this.client,
          sql: CITUS_COPY_SQL,
        }));
        fan = copies;
        let tweets = 0;
        const data = citusData(file, hooks, rejects, state.refused, state.validate, notices, route);
        for await (const { pieces, rows } of data) {
          for (const [key, chunk] of pieces) {
            let map = lines.get(key);
            if (!map) {
              map = new CopyLineMap();
              lines.set(key, map);
            }
            map.add(chunk);
            await copies.write(key, chunk.data);
          }
          tweets += rows;
          hooks.onProgress?.(tweets);
        }
        await copies.end();
        reportRejects(file, rejects, hooks);
        const result = { tweets, rejects: rejects.length, notices };
        hooks.accept?.(result);
        await s?.commit();
        await commitFile(this.client, hooks.journal, result);
        await s?.forgetParts();
        return result;
      } catch (error) {
        await fan?.abort();
        await spread?.rollback();
        await this.client.query("ROLLBACK").catch(() => {});
        const cause = error instanceof StreamError ? error.error : error;
        const streamLines =
          (error instanceof StreamError ? lines.get(error.key) : undefined) ?? new CopyLineMap();
        nextPass(file, cause, streamLines, state, hooks.onReject !== undefined, true);
      }
    }
  }

  async close(): Promise<void> {
    await this.routes?.nodes.closeAll();
  }
}
