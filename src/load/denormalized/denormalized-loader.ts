import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { isDistributed } from "../../db/citus.js";
import { lineLocation } from "../../input/line-location.js";
import { type RawChunk, readRawChunks } from "../../input/raw-chunks.js";
import { readLineBatches } from "../../input/read-lines.js";
import { BadLineError } from "../../transform/bad-line.js";
import { classifyLine } from "../../transform/classify-line.js";
import { countNotice, type NoticeCounts } from "../../transform/notices.js";
import { stripNulEscapes } from "../../transform/nul.js";
import { beginFile, commitFile } from "../journal.js";
import { JSONB_COPY_SQL } from "../jsonb-copy.js";
import type { FileHooks, Loader, LoaderSession, PgClient, Rejected } from "../loader.js";
import { CITUS_COPY_SQL, citusData, LineNeedsValidation } from "./citus-data.js";
import { CopyLineMap, copyErrorLine } from "./copy-line-map.js";
import { PAGE_MARK, pageRows } from "./page-lines.js";
import { mayNestDeeper, NeedsValidationError, screenChunk } from "./screen-chunk.js";

// CSV with quote and delimiter set to control characters that valid JSON text never holds
// raw: each line reaches jsonb_in untouched, with no escaping on our side or parsing cost
// on the server's.

const NUL_ESCAPE = Buffer.from("\\u0000");

/** Bytes gathered into one piece of COPY data (the readers' chunks are 64 KB). */
const COPY_PIECE_BYTES = 64 * 1024;

/**
 * Lines the validated pass may find refused by the server although the client accepted
 * them (JSON that JavaScript reads but jsonb does not, such as a lone surrogate escape).
 * Each costs one more pass over the file, so past this many the file fails instead.
 */
const MAX_SERVER_REFUSALS = 20;

/**
 * The chunk with each v2 page line replaced by its tweets (their rejects go to `rejects`).
 * Other lines stay bytes; a page line that is not UTF-8 too, for the server to refuse.
 */
function withPagesExpanded(chunk: RawChunk, rejects: Rejected[]): RawChunk {
  const parts: Buffer[] = [];
  const lineNos: number[] = [];
  let start = 0;
  for (const lineNo of chunk.lineNos) {
    const end = chunk.data.indexOf(10, start) + 1;
    const bytes = chunk.data.subarray(start, end);
    start = end;
    const marked = bytes.indexOf(PAGE_MARK) !== -1;
    const page =
      marked && isUtf8(bytes)
        ? pageRows({
            file: chunk.file,
            member: chunk.member,
            lineNo,
            text: bytes.toString("utf8", 0, bytes.length - 1),
          })
        : null;
    // A marked line that is not a page skipped screenChunk's depth test for its mark alone.
    if (marked && page === null && mayNestDeeper(bytes, 0, bytes.length)) {
      throw new NeedsValidationError();
    }
    if (page === null) {
      parts.push(bytes);
      lineNos.push(lineNo);
      continue;
    }
    rejects.push(...page.rejects);
    for (const tweet of page.tweets) {
      parts.push(Buffer.from(`${tweet}\n`, "utf8"));
      lineNos.push(lineNo);
    }
  }
  return { ...chunk, data: Buffer.concat(parts), lineNos };
}

/**
 * The file's lines as COPY data: raw bytes, without the stream notices (counted in
 * `notices`), rewritten only where a \u0000 escape occurs or a v2 page's tweets are taken
 * out of it (found cheaply: only a chunk holding the bytes of a `data` key is looked into).
 * Lines the input rules out (too long) never reach the server: they go to `rejects`.
 */
async function* rawData(
  file: string,
  hooks: FileHooks,
  lines: CopyLineMap,
  rejects: Rejected[],
  notices: NoticeCounts,
) {
  // Small chunks (a zip's one-tweet members come one a chunk) go to COPY together: each
  // piece costs pg-copy-streams two socket writes.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = () => {
    const out = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    return out;
  };
  for await (const raw of readRawChunks(file, hooks.input)) {
    for (const line of raw.bad ?? []) rejects.push({ ...line, error: line.error ?? "" });
    const screened = screenChunk(raw, notices);
    const chunk =
      screened.data.indexOf(PAGE_MARK) === -1 ? screened : withPagesExpanded(screened, rejects);
    if (chunk.lineNos.length === 0) continue;
    lines.add(chunk);
    hooks.onProgress?.(lines.count);
    const data =
      chunk.data.indexOf(NUL_ESCAPE) === -1
        ? chunk.data
        : Buffer.from(stripNulEscapes(chunk.data.toString("utf8")), "utf8");
    pending.push(data);
    pendingBytes += data.length;
    if (pendingBytes >= COPY_PIECE_BYTES) yield take();
  }
  if (pendingBytes > 0) yield take();
}

const lineKey = (member: string | null, lineNo: number) => `${member ?? ""}\n${lineNo}`;

/**
 * The file's lines checked one by one as the other loaders check them: bad lines go to
 * `rejects` (as do lines the server refused on an earlier pass, keyed in `refused`),
 * notices are counted in `notices`, the tweets become COPY data. A line that is not UTF-8
 * or too long comes from the reader with its reason, and is rejected like any other bad
 * line.
 */
async function* validatedData(
  file: string,
  hooks: FileHooks,
  lines: CopyLineMap,
  rejects: Rejected[],
  refused: ReadonlyMap<string, string>,
  notices: NoticeCounts,
) {
  for await (const batch of readLineBatches(file, { ...hooks.input, batchLines: 500 })) {
    const parts: string[] = [];
    const lineNos: number[] = [];
    // A batch may go on across members: each COPY line's member, for the line map.
    const members: Array<string | null> = [];
    for (const line of batch) {
      const refusal = line.error ?? refused.get(lineKey(line.member, line.lineNo));
      if (refusal !== undefined) {
        rejects.push({ ...line, error: refusal });
        continue;
      }
      try {
        const c = classifyLine(line.text);
        if (c.kind === "notice") {
          countNotice(notices, c.notice);
          continue;
        }
      } catch (error) {
        if (!(error instanceof BadLineError)) throw error;
        rejects.push({ ...line, error: error.message });
        continue;
      }
      const page = pageRows(line);
      if (page === null) {
        parts.push(stripNulEscapes(line.text), "\n");
        lineNos.push(line.lineNo);
        members.push(line.member);
        continue;
      }
      rejects.push(...page.rejects);
      for (const tweet of page.tweets) {
        parts.push(tweet, "\n");
        lineNos.push(line.lineNo);
        members.push(line.member);
      }
    }
    if (lineNos.length === 0) continue;
    const data = Buffer.from(parts.join(""), "utf8");
    lines.addLines(members, lineNos);
    hooks.onProgress?.(lines.count);
    yield data;
  }
}

/** Where a COPY error's line came from, when it is a refused data line (not a lost connection). */
function refusedLine(error: unknown, lines: CopyLineMap) {
  const code = (error as { code?: unknown } | null)?.code;
  // 22: bad data, 23: the CHECK, 54001: nested past the server's stack depth limit.
  if (
    typeof code !== "string" ||
    !(code.startsWith("22") || code.startsWith("23") || code === "54001")
  ) {
    return null;
  }
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
      code: (error as { code?: unknown }).code,
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
      const notices: NoticeCounts = {};
      if (!(await beginFile(this.client, hooks.journal))) {
        return { tweets: 0, rejects: 0, skipped: true };
      }
      try {
        const data = this.distributed
          ? citusData(file, hooks, lines, rejects, refused, validate, notices)
          : validate
            ? validatedData(file, hooks, lines, rejects, refused, notices)
            : rawData(file, hooks, lines, rejects, notices);
        const sql = this.distributed ? CITUS_COPY_SQL : JSONB_COPY_SQL;
        // Two pieces read ahead, not Readable's 16: a piece may be one line near the limit.
        await pipeline(Readable.from(data, { highWaterMark: 2 }), this.client.query(copyFrom(sql)));
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
        if (error instanceof NeedsValidationError && !validate) {
          validate = true;
          continue;
        }
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
  journalName: "denormalized",
  open: async (client) => new DenormalizedSession(client, await isDistributed(client)),
};
