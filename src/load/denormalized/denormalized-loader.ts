import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { isDistributed } from "../../db/citus.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { NoticeCounts } from "../../transform/notices.js";
import { openDirect } from "../citus/direct.js";
import { inFileTransaction } from "../journal.js";
import { JSONB_COPY_SQL } from "../jsonb-copy.js";
import type { FileHooks, Loader, LoaderSession, PgClient, Rejected } from "../loader.js";
import { ServerRefusals } from "../server-refusals.js";
import { CitusDenormalizedSession } from "./citus-session.js";
import { CopyLineMap } from "./copy-line-map.js";
import { CITUS_COPY_SQL, located, refusedLine, reportRejects } from "./copy-refusals.js";
import { copyData, screenLines } from "./screen-lines.js";

/**
 * The file's lines as COPY data: every line judged on the client as the other loaders
 * judge it (screen-lines.ts), so bad lines go to `rejects` and notices are counted in
 * `notices` before anything reaches the server, and the server's CHECK is not needed. A
 * tweet line goes as it was read (its bytes, the `\u0000` escape removed), a v2 page as
 * one row per tweet. On Citus each row starts with its tweet id, the distribution column.
 */
async function* screenedData(
  file: string,
  hooks: FileHooks,
  lines: CopyLineMap,
  rejects: Rejected[],
  refused: ServerRefusals,
  notices: NoticeCounts,
  distributed: boolean,
) {
  for await (const batch of readLineBatches(file, {
    ...hooks.input,
    byteStrings: true,
    batchLines: 500,
  })) {
    const screened = screenLines(batch, refused, rejects, notices);
    if (screened.lineNos.length === 0) continue;
    const data = copyData(screened, distributed);
    // A batch may go on across members (a zip of one-tweet members): each row keeps its own.
    lines.addLines(screened.members, screened.lineNos, screened.indexes);
    hooks.onProgress?.(lines.count);
    yield data;
  }
}

class DenormalizedSession implements LoaderSession {
  readonly atomicFiles = true;

  constructor(
    private readonly client: PgClient,
    /** tweets_jsonb is distributed over Citus: rows carry their id, the distribution column. */
    private readonly distributed = false,
  ) {}

  /**
   * One COPY of the screened lines in the file's transaction. A line the server still
   * refuses (its error names the COPY line) is rejected with the server's message and the
   * file is loaded again without it (ServerRefusals).
   */
  async loadFile(file: string, hooks: FileHooks = {}) {
    const refused = new ServerRefusals();
    for (;;) {
      const lines = new CopyLineMap();
      const rejects: Rejected[] = [];
      const notices: NoticeCounts = {};
      try {
        const result = await inFileTransaction(this.client, hooks.journal, async () => {
          const data = screenedData(
            file,
            hooks,
            lines,
            rejects,
            refused,
            notices,
            this.distributed,
          );
          const sql = this.distributed ? CITUS_COPY_SQL : JSONB_COPY_SQL;
          // Two pieces read ahead, not Readable's 16: a piece may be one line near the limit.
          const copy = this.client.query(copyFrom(sql));
          await pipeline(Readable.from(data, { highWaterMark: 2 }), copy);
          // Reported only now, once per line, from the pass that commits; may throw (--max-rejects).
          reportRejects(file, rejects, hooks);
          const result = { tweets: lines.count, rejects: rejects.length, notices };
          hooks.accept?.(result);
          return result;
        });
        return result ?? { tweets: 0, rejects: 0, skipped: true };
      } catch (error) {
        const at = refusedLine(error, lines);
        if (at === null || !hooks.onReject || !refused.add(at, error)) {
          throw located(file, error, lines);
        }
      }
    }
  }
}

/**
 * Streams each file's lines into tweets_jsonb with one COPY; one file, one transaction
 * (journal row included). Each line is judged on the client (parsed once, as the other
 * loaders parse it) and goes on as the bytes it was read as: the server only parses the
 * jsonb, with no CHECK to evaluate. On Citus the rows carry their id and go to the nodes
 * holding them (citus-session.ts), or through the coordinator when a node is out of reach.
 */
export const denormalizedLoader: Loader = {
  kind: "denormalized",
  journalName: "denormalized",
  async open(client, options) {
    const distributed = await isDistributed(client);
    const routes = distributed
      ? await openDirect(client, options.url, "tweets_jsonb", "tweetload denormalized")
      : null;
    return routes
      ? new CitusDenormalizedSession(client, routes)
      : new DenormalizedSession(client, distributed);
  },
};
