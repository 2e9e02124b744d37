import type { RawChunk } from "../../input/raw-chunks.js";
import { readLineBatches } from "../../input/read-lines.js";
import { BadLineError } from "../../transform/bad-line.js";
import { classifyLine, type LineClass } from "../../transform/classify-line.js";
import { countNotice, type NoticeCounts } from "../../transform/notices.js";
import { stripNulEscapes } from "../../transform/nul.js";
import type { FileHooks, Rejected } from "../loader.js";
import { lineTweetId } from "./line-id.js";
import { pageRows } from "./page-lines.js";

/** COPY of a distributed tweets_jsonb: the id column (the distribution column) and the line. */
export const CITUS_COPY_SQL = `COPY tweets_jsonb (id_tweets, data) FROM STDIN WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;

/**
 * Thrown by the optimistic pass when a line has no top-level id: the line is bad (or
 * unusual), and only the validating pass can tell which.
 */
export class LineNeedsValidation extends Error {}

const lineKey = (member: string | null, lineNo: number) => `${member ?? ""}\n${lineNo}`;

/** Where a row goes: the key of its COPY stream, or null when it is committed already. */
export type RowRoute = (id: string) => string | null;

/** A batch of COPY data per stream key, and how many tweet rows the batch held in all. */
export interface RoutedBatch {
  pieces: Map<string, RawChunk>;
  rows: number;
}

/**
 * The file's lines as COPY data for Citus: `id \x02 line`, the id read from the line
 * without parsing it (lineTweetId). Unlike the plain path the lines are split on the client:
 * Citus routes each row to its shard by that id, so each needs one. `route` picks each
 * row's stream (the node holding its shard group) or drops a row an earlier load committed.
 *
 * `validate` false: the optimistic pass, which stops at the first line without an id.
 * `validate` true: every line is judged as the other loaders judge it (classifyLine), bad
 * ones (and those the server refused before, in `refused`) go to `rejects`, stream notices
 * are counted in `notices`, and a v2 page becomes one row per tweet. A worker that refuses a row
 * (a CHECK of tweets_jsonb) answers without naming the COPY line, so on Citus this pass
 * is what turns bad lines into line-level rejects.
 */
export async function* citusData(
  file: string,
  hooks: FileHooks,
  rejects: Rejected[],
  refused: ReadonlyMap<string, string>,
  validate: boolean,
  notices: NoticeCounts,
  route: RowRoute,
): AsyncGenerator<RoutedBatch> {
  for await (const batch of readLineBatches(file, { ...hooks.input, batchLines: 500 })) {
    const out = new Map<string, { parts: string[]; lineNos: number[] }>();
    let rows = 0;
    const add = (id: string, text: string, lineNo: number) => {
      rows++;
      const key = route(id);
      if (key === null) return;
      let piece = out.get(key);
      if (!piece) {
        piece = { parts: [], lineNos: [] };
        out.set(key, piece);
      }
      piece.parts.push(id, "\x02", text, "\n");
      piece.lineNos.push(lineNo);
    };
    for (const line of batch) {
      if (!validate) {
        // A notice, a v2 page or a bad line has no top-level id: the validating pass judges it.
        const id = line.error === undefined ? lineTweetId(line.text) : null;
        if (id === null) {
          throw new LineNeedsValidation(`line ${line.lineNo} has no top-level tweet id`);
        }
        add(id, stripNulEscapes(line.text), line.lineNo);
        continue;
      }
      const refusal = line.error ?? refused.get(lineKey(line.member, line.lineNo));
      if (refusal !== undefined) {
        rejects.push({ ...line, error: refusal });
        continue;
      }
      let c: LineClass;
      try {
        c = classifyLine(line.text);
      } catch (error) {
        if (!(error instanceof BadLineError)) throw error;
        rejects.push({ ...line, error: error.message });
        continue;
      }
      if (c.kind === "notice") {
        countNotice(notices, c.notice);
        continue;
      }
      const page = pageRows(line);
      if (page !== null) rejects.push(...page.rejects);
      // The ids as the loaders read them (a key the quick reading misses, a page's tweets).
      const texts = page?.tweets ?? [stripNulEscapes(line.text)];
      texts.forEach((text, i) => {
        add(c.tweets[i]?.tweet.id as string, text, line.lineNo);
      });
    }
    if (rows === 0) continue;
    const member = batch[0]?.member ?? null;
    const pieces = new Map<string, RawChunk>();
    for (const [key, piece] of out) {
      const data = Buffer.from(piece.parts.join(""), "utf8");
      pieces.set(key, { file, member, data, lineNos: piece.lineNos });
    }
    yield { pieces, rows };
  }
}
