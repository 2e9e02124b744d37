import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { isDistributed } from "../../db/citus.js";
import { type RawChunk, readRawChunks } from "../../input/raw-chunks.js";
import { readLineBatches } from "../../input/read-lines.js";
import { BadLineError } from "../../transform/bad-line.js";
import { classifyLine } from "../../transform/classify-line.js";
import { countNotice, type NoticeCounts } from "../../transform/notices.js";
import { stripNulEscapes } from "../../transform/nul.js";
import { openDirect } from "../citus/direct.js";
import { beginFile, commitFile } from "../journal.js";
import { JSONB_COPY_SQL } from "../jsonb-copy.js";
import type { FileHooks, Loader, LoaderSession, PgClient, Rejected } from "../loader.js";
import { CitusDenormalizedSession } from "./citus-session.js";
import { CopyLineMap } from "./copy-line-map.js";
import { lineKey, nextPass, type PassState, reportRejects } from "./copy-refusals.js";
import { PAGE_MARK, pageRows } from "./page-lines.js";
import { mayNestDeeper, NeedsValidationError, screenChunk } from "./screen-chunk.js";

// CSV with quote and delimiter set to control characters that valid JSON text never holds
// raw: each line reaches jsonb_in untouched, with no escaping on our side or parsing cost
// on the server's.

const NUL_ESCAPE = Buffer.from("\\u0000");

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
  for await (const raw of readRawChunks(file, hooks.input)) {
    for (const line of raw.bad ?? []) rejects.push({ ...line, error: line.error ?? "" });
    const screened = screenChunk(raw, notices);
    const chunk =
      screened.data.indexOf(PAGE_MARK) === -1 ? screened : withPagesExpanded(screened, rejects);
    if (chunk.lineNos.length === 0) continue;
    lines.add(chunk);
    hooks.onProgress?.(lines.count);
    yield chunk.data.indexOf(NUL_ESCAPE) === -1
      ? chunk.data
      : Buffer.from(stripNulEscapes(chunk.data.toString("utf8")), "utf8");
  }
}

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
        continue;
      }
      rejects.push(...page.rejects);
      for (const tweet of page.tweets) {
        parts.push(tweet, "\n");
        lineNos.push(line.lineNo);
      }
    }
    if (lineNos.length === 0) continue;
    const data = Buffer.from(parts.join(""), "utf8");
    const chunk: RawChunk = { file, member: batch[0]?.member ?? null, data, lineNos };
    lines.add(chunk);
    hooks.onProgress?.(lines.count);
    yield data;
  }
}

class DenormalizedSession implements LoaderSession {
  readonly atomicFiles = true;

  constructor(private readonly client: PgClient) {}

  /**
   * Optimistic first: the raw bytes go to COPY untouched, and a CHECK constraint makes the
   * server refuse JSON that is not a tweet. Only when the server refuses a line is the file
   * loaded again with every line checked on the client (the slower pass, which rejects
   * exactly what the other loaders reject); a line that still passes the client but not
   * the server is rejected with the server's message and the file is loaded once more.
   */
  async loadFile(file: string, hooks: FileHooks = {}) {
    const state: PassState = { validate: false, refused: new Map() };
    for (;;) {
      const lines = new CopyLineMap();
      const rejects: Rejected[] = [];
      const notices: NoticeCounts = {};
      if (!(await beginFile(this.client, hooks.journal))) {
        return { tweets: 0, rejects: 0, skipped: true };
      }
      try {
        const data = state.validate
          ? validatedData(file, hooks, lines, rejects, state.refused, notices)
          : rawData(file, hooks, lines, rejects, notices);
        await pipeline(Readable.from(data), this.client.query(copyFrom(JSONB_COPY_SQL)));
        reportRejects(file, rejects, hooks);
        const result = { tweets: lines.count, rejects: rejects.length, notices };
        hooks.accept?.(result);
        await commitFile(this.client, hooks.journal, result);
        return result;
      } catch (error) {
        await this.client.query("ROLLBACK").catch(() => {});
        nextPass(file, error, lines, state, hooks.onReject !== undefined, false);
      }
    }
  }
}

/**
 * Streams each file's raw lines into tweets_jsonb with one COPY; one file, one transaction
 * (journal row included). Bytes go from the archive to the socket without being decoded:
 * this loader's speed is PostgreSQL's jsonb parsing, which is the floor any loader of this
 * table has. Bad lines cost a second, validating pass over their file only. On Citus the
 * rows carry their id and go to the nodes holding them (citus-session.ts).
 */
export const denormalizedLoader: Loader = {
  kind: "denormalized",
  journalName: "denormalized",
  async open(client, options) {
    if (!(await isDistributed(client))) return new DenormalizedSession(client);
    return new CitusDenormalizedSession(
      client,
      await openDirect(client, options.url, "tweets_jsonb", "tweetload denormalized"),
    );
  },
};
