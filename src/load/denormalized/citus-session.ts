import { StreamError } from "../../errors.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { NoticeCounts } from "../../transform/notices.js";
import { CopyFanOut } from "../citus/copy-fan-out.js";
import type { DirectRoutes } from "../citus/direct.js";
import { SpreadTransaction } from "../citus/spread-transaction.js";
import { inFileTransaction } from "../journal.js";
import type { FileHooks, LoaderSession, PgClient, Rejected } from "../loader.js";
import { ServerRefusals } from "../server-refusals.js";
import { CopyLineMap } from "./copy-line-map.js";
import { CITUS_COPY_SQL, located, refusedLine, reportRejects } from "./copy-refusals.js";
import { copyData, type ScreenedRows, screenLines } from "./screen-lines.js";

/**
 * The screened rows split by the node holding each (its id's shard group); a row whose
 * group an earlier, interrupted load of the file committed (`nodeOf` null) is left out.
 */
function splitByNode(
  screened: ScreenedRows,
  nodeOf: (id: string) => string | null,
): Map<string, ScreenedRows> {
  const out = new Map<string, ScreenedRows>();
  screened.ids.forEach((id, i) => {
    const key = nodeOf(id);
    if (key === null) return;
    let part = out.get(key);
    if (!part) {
      part = { rows: [], members: [], lineNos: [], indexes: [], ids: [], bytes: [] };
      out.set(key, part);
    }
    part.rows.push(screened.rows[i] as string);
    part.members.push(screened.members[i] ?? null);
    part.lineNos.push(screened.lineNos[i] as number);
    part.indexes.push(screened.indexes[i]);
    part.ids.push(id);
    part.bytes.push(screened.bytes[i] as boolean);
  });
  return out;
}

/**
 * pg_denormalized on Citus with direct routes: each line judged on the client as on a
 * plain server (screen-lines.ts), each row with its id, the distribution column, sent
 * straight to the node holding its shard group, one COPY and one transaction per node; the
 * coordinator keeps only the journal. A row a node refuses with its COPY line named is
 * rejected with the server's message and the file is loaded again without it.
 */
export class CitusDenormalizedSession implements LoaderSession {
  readonly atomicFiles = true;

  constructor(
    private readonly client: PgClient,
    private readonly routes: DirectRoutes,
  ) {}

  async loadFile(file: string, given: FileHooks = {}) {
    const hooks = await SpreadTransaction.settleReplace(this.client, given);
    const refused = new ServerRefusals();
    for (;;) {
      const lines = new Map<string, CopyLineMap>();
      const rejects: Rejected[] = [];
      const notices: NoticeCounts = {};
      let spread: SpreadTransaction | undefined;
      try {
        const result = await inFileTransaction(this.client, hooks.journal, async () => {
          spread = await SpreadTransaction.begin(
            this.client,
            this.routes,
            "tweets_jsonb",
            hooks.journal,
          );
          return spread.run((s) => this.write(file, hooks, s, lines, rejects, refused, notices));
        });
        if (result === null) return { tweets: 0, rejects: 0, skipped: true };
        await spread?.forgetParts();
        return result;
      } catch (error) {
        const cause = error instanceof StreamError ? error.error : error;
        const streamLines =
          (error instanceof StreamError ? lines.get(error.key) : undefined) ?? new CopyLineMap();
        const at = refusedLine(cause, streamLines);
        if (at === null || !hooks.onReject || !refused.add(at, cause)) {
          throw located(file, cause, streamLines);
        }
      }
    }
  }

  /**
   * The file's rows COPYed to their nodes in `s`; the COPYs still open are aborted when
   * anything fails, before the nodes roll back.
   */
  private async write(
    file: string,
    hooks: FileHooks,
    s: SpreadTransaction,
    lines: Map<string, CopyLineMap>,
    rejects: Rejected[],
    refused: ServerRefusals,
    notices: NoticeCounts,
  ) {
    const copies = new CopyFanOut(async (key) => ({
      client: await s.clientOfKey(key),
      sql: CITUS_COPY_SQL,
    }));
    try {
      let tweets = 0;
      for await (const batch of readLineBatches(file, {
        ...hooks.input,
        byteStrings: true,
        batchLines: 500,
      })) {
        const screened = screenLines(batch, refused, rejects, notices);
        tweets += screened.rows.length;
        for (const [key, part] of splitByNode(screened, (id) => s.nodeOf(id)?.key ?? null)) {
          let map = lines.get(key);
          if (!map) {
            map = new CopyLineMap();
            lines.set(key, map);
          }
          const data = copyData(part, true);
          map.addLines(part.members, part.lineNos, part.indexes);
          await copies.write(key, data);
        }
        hooks.onProgress?.(tweets);
      }
      await copies.end();
      reportRejects(file, rejects, hooks);
      const result = { tweets, rejects: rejects.length, notices };
      hooks.accept?.(result);
      return result;
    } catch (error) {
      await copies.abort();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.routes.nodes.closeAll();
  }
}
