import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { isDistributed } from "../../db/citus.js";
import { errorCode, errorKind } from "../../errors.js";
import { lineLocation } from "../../input/line-location.js";
import type { RawChunk } from "../../input/raw-chunks.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { NoticeCounts } from "../../transform/notices.js";
import { beginFile, commitFile } from "../journal.js";
import { JSONB_COPY_SQL } from "../jsonb-copy.js";
import type { FileHooks, Loader, LoaderSession, PgClient, Rejected } from "../loader.js";
import { copyErrorLine, ServerRefusals } from "../server-refusals.js";
import { CopyLineMap } from "./copy-line-map.js";
import { copyData, screenLines } from "./screen-lines.js";

/** COPY of a distributed tweets_jsonb: the id column (the distribution column) and the line. */
const CITUS_COPY_SQL = `COPY tweets_jsonb (id_tweets, data) FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

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
    const chunk: RawChunk = {
      file,
      member: batch[0]?.member ?? null,
      data,
      lineNos: screened.lineNos,
    };
    lines.add(chunk, screened.indexes);
    hooks.onProgress?.(lines.count);
    yield data;
  }
}

/** Where a COPY error's line came from, when it is a refused data line (not a lost connection). */
function refusedLine(error: unknown, lines: CopyLineMap) {
  if (errorKind(error) !== "data") return null;
  const n = copyErrorLine(error);
  return n === null ? null : lines.locate(n);
}

/** Names the input member and line of a COPY error, when PostgreSQL says which line failed. */
function located(file: string, error: unknown, lines: CopyLineMap): unknown {
  const n = copyErrorLine(error);
  const at = n === null ? null : lines.locate(n);
  if (!at || !(error instanceof Error)) return error;
  return Object.assign(
    new Error(`${lineLocation({ file, ...at })}: ${error.message}`, { cause: error }),
    {
      code: errorCode(error),
      member: at.member,
      lineNo: at.lineNo,
    },
  );
}

class DenormalizedSession implements LoaderSession {
  readonly atomicFiles = true;

  constructor(
    private readonly client: PgClient,
    /** tweets_jsonb is distributed over Citus: rows carry their id (citus-data.ts). */
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
      if (!(await beginFile(this.client, hooks.journal))) {
        return { tweets: 0, rejects: 0, skipped: true };
      }
      try {
        const data = screenedData(file, hooks, lines, rejects, refused, notices, this.distributed);
        const sql = this.distributed ? CITUS_COPY_SQL : JSONB_COPY_SQL;
        await pipeline(Readable.from(data), this.client.query(copyFrom(sql)));
        if (rejects.length > 0 && !hooks.onReject) {
          const [first] = rejects as [Rejected];
          throw new Error(`${lineLocation({ ...first, file })}: ${first.error}`);
        }
        // Reported only now, once per line, from the pass that commits; may throw (--max-rejects).
        for (const line of rejects) hooks.onReject?.(line);
        const result = { tweets: lines.count, rejects: rejects.length, notices };
        hooks.accept?.(result);
        await commitFile(this.client, hooks.journal, result);
        return result;
      } catch (error) {
        await this.client.query("ROLLBACK").catch(() => {});
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
 * jsonb, with no CHECK to evaluate.
 */
export const denormalizedLoader: Loader = {
  kind: "denormalized",
  journalName: "denormalized",
  open: async (client) => new DenormalizedSession(client, await isDistributed(client)),
};
