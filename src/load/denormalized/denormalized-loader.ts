import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { isDistributed } from "../../db/citus.js";
import { type RawChunk, readRawChunks } from "../../input/raw-chunks.js";
import { readLineBatches } from "../../input/read-lines.js";
import { stripNulEscapes } from "../../transform/nul.js";
import { beginFile, commitFile } from "../journal.js";
import type { FileHooks, Loader, LoaderSession, PgClient, Rejected } from "../loader.js";
import { tweetLineError } from "../rows-of-lines.js";
import { CITUS_COPY_SQL, citusData, LineNeedsValidation } from "./citus-data.js";
import { CopyLineMap, copyErrorLine } from "./copy-line-map.js";

// CSV with quote and delimiter set to control characters that valid JSON text never holds
// raw: each line reaches jsonb_in untouched, with no escaping on our side or parsing cost
// on the server's.
const COPY_SQL = `COPY tweets_jsonb (data) FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

const NUL_ESCAPE = Buffer.from("\\u0000");

/**
 * Lines the validated pass may find refused by the server although the client accepted
 * them (JSON that JavaScript reads but jsonb does not, such as a lone surrogate escape).
 * Each costs one more pass over the file, so past this many the file fails instead.
 */
const MAX_SERVER_REFUSALS = 20;

/** The file's lines as COPY data: raw bytes, rewritten only where a \u0000 escape occurs. */
async function* rawData(file: string, hooks: FileHooks, lines: CopyLineMap) {
  for await (const chunk of readRawChunks(file)) {
    lines.add(chunk);
    hooks.onProgress?.(lines.count);
    yield chunk.data.indexOf(NUL_ESCAPE) === -1
      ? chunk.data
      : Buffer.from(stripNulEscapes(chunk.data.toString("utf8")), "utf8");
  }
}

const lineKey = (member: string | null, lineNo: number) => `${member ?? ""}\n${lineNo}`;

/**
 * The file's lines checked one by one as the other loaders check them: bad lines go to
 * `rejects` (as do lines the server refused on an earlier pass, keyed in `refused`), the
 * rest become COPY data. Decoding is strict, so bytes that are not UTF-8 fail the file
 * with an InputError naming it, as in the other loaders.
 */
async function* validatedData(
  file: string,
  hooks: FileHooks,
  lines: CopyLineMap,
  rejects: Rejected[],
  refused: ReadonlyMap<string, string>,
) {
  for await (const batch of readLineBatches(file, { batchLines: 500 })) {
    const parts: string[] = [];
    const lineNos: number[] = [];
    for (const line of batch) {
      const error = refused.get(lineKey(line.member, line.lineNo)) ?? tweetLineError(line.text);
      if (error !== null) {
        rejects.push({ ...line, error });
        continue;
      }
      parts.push(stripNulEscapes(line.text), "\n");
      lineNos.push(line.lineNo);
    }
    if (lineNos.length === 0) continue;
    const data = Buffer.from(parts.join(""), "utf8");
    const chunk: RawChunk = { file, member: batch[0]?.member ?? null, data, lineNos };
    lines.add(chunk);
    hooks.onProgress?.(lines.count);
    yield data;
  }
}

/** Where a COPY error's line came from, when it is a refused data line (not a lost connection). */
function refusedLine(error: unknown, lines: CopyLineMap) {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !(code.startsWith("22") || code.startsWith("23"))) return null;
  const n = copyErrorLine(error);
  return n === null ? null : lines.locate(n);
}

/** Names the input member and line of a COPY error, when PostgreSQL says which line failed. */
function located(file: string, error: unknown, lines: CopyLineMap): unknown {
  const n = copyErrorLine(error);
  const at = n === null ? null : lines.locate(n);
  if (!at || !(error instanceof Error)) return error;
  const where = `${file}${at.member === null ? "" : ` ${at.member}`}:${at.lineNo}`;
  return Object.assign(new Error(`${where}: ${error.message}`, { cause: error }), {
    code: (error as { code?: unknown }).code,
    member: at.member,
    lineNo: at.lineNo,
  });
}

class DenormalizedSession implements LoaderSession {
  readonly atomicFiles = true;

  constructor(
    private readonly client: PgClient,
    /** tweets_jsonb is distributed over Citus: rows carry their id (citus-data.ts). */
    private readonly distributed = false,
  ) {}

  /**
   * Optimistic first: the raw bytes go to COPY untouched, and a CHECK constraint makes the
   * server refuse JSON that is not a tweet. Only when the server refuses a line is the file
   * loaded again with every line checked on the client (the slower pass, which rejects
   * exactly what the other loaders reject); a line that still passes the client but not
   * the server is rejected with the server's message and the file is loaded once more.
   */
  async loadFile(file: string, hooks: FileHooks = {}) {
    const refused = new Map<string, string>();
    let validate = false;
    for (;;) {
      const lines = new CopyLineMap();
      const rejects: Rejected[] = [];
      if (!(await beginFile(this.client, hooks.journal))) {
        return { tweets: 0, rejects: 0, skipped: true };
      }
      try {
        const data = this.distributed
          ? citusData(file, hooks, lines, rejects, refused, validate)
          : validate
            ? validatedData(file, hooks, lines, rejects, refused)
            : rawData(file, hooks, lines);
        const sql = this.distributed ? CITUS_COPY_SQL : COPY_SQL;
        await pipeline(Readable.from(data), this.client.query(copyFrom(sql)));
        if (rejects.length > 0 && !hooks.onReject) {
          const [first] = rejects as [Rejected];
          throw new Error(
            `${file}${first.member === null ? "" : ` ${first.member}`}:${first.lineNo}: ${first.error}`,
          );
        }
        // Reported only now, once per line, from the pass that commits; may throw (--max-rejects).
        for (const line of rejects) hooks.onReject?.(line);
        const result = { tweets: lines.count, rejects: rejects.length };
        await commitFile(this.client, hooks.journal, result);
        return result;
      } catch (error) {
        await this.client.query("ROLLBACK").catch(() => {});
        const at = refusedLine(error, lines);
        if (at === null && !validate && hooks.onReject && this.workerRefusal(error)) {
          validate = true;
          continue;
        }
        if (at === null || !hooks.onReject) throw located(file, error, lines);
        if (validate) {
          const key = lineKey(at.member, at.lineNo);
          if (refused.has(key) || refused.size >= MAX_SERVER_REFUSALS) {
            throw located(file, error, lines);
          }
          refused.set(key, `refused by PostgreSQL: ${(error as Error).message}`);
        }
        validate = true;
      }
    }
  }

  /**
   * On Citus, a row a worker refuses fails the COPY without naming its line (code 23514 or
   * XX000): like a line without an id, it sends the file through the validating pass.
   */
  private workerRefusal(error: unknown): boolean {
    if (!this.distributed) return false;
    if (error instanceof LineNeedsValidation) return true;
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === "string" && /^(22|23|XX)/.test(code);
  }
}

/**
 * Streams each file's raw lines into tweets_jsonb with one COPY; one file, one transaction
 * (journal row included). Bytes go from the archive to the socket without being decoded:
 * this loader's speed is PostgreSQL's jsonb parsing, which is the floor any loader of this
 * table has. Bad lines cost a second, validating pass over their file only.
 */
export const denormalizedLoader: Loader = {
  kind: "denormalized",
  open: async (client) => new DenormalizedSession(client, await isDistributed(client)),
};
