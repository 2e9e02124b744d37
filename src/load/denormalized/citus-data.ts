import { readLineBatches } from "../../input/read-lines.js";
import { BadLineError } from "../../transform/bad-line.js";
import { classifyLine, type LineClass } from "../../transform/classify-line.js";
import { countNotice, type NoticeCounts } from "../../transform/notices.js";
import { stripNulEscapes } from "../../transform/nul.js";
import type { FileHooks, Rejected } from "../loader.js";
import type { CopyLineMap } from "./copy-line-map.js";
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

/**
 * The file's lines as COPY data for Citus: `id \x02 line`, the id read from the line
 * without parsing it (lineTweetId). Unlike the plain path the lines are split on the client:
 * Citus routes each row to its shard by that id, so each needs one.
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
  lines: CopyLineMap,
  rejects: Rejected[],
  refused: ReadonlyMap<string, string>,
  validate: boolean,
  notices: NoticeCounts,
) {
  for await (const batch of readLineBatches(file, { ...hooks.input, batchLines: 500 })) {
    const parts: string[] = [];
    const lineNos: number[] = [];
    // A batch may go on across members: each COPY line's member, for the line map.
    const members: Array<string | null> = [];
    for (const line of batch) {
      if (!validate) {
        // A notice, a v2 page or a bad line has no top-level id: the validating pass judges it.
        const id = line.error === undefined ? lineTweetId(line.text) : null;
        if (id === null) {
          throw new LineNeedsValidation(`line ${line.lineNo} has no top-level tweet id`);
        }
        parts.push(id, "\x02", stripNulEscapes(line.text), "\n");
        lineNos.push(line.lineNo);
        members.push(line.member);
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
        parts.push(c.tweets[i]?.tweet.id as string, "\x02", text, "\n");
        lineNos.push(line.lineNo);
        members.push(line.member);
      });
    }
    if (lineNos.length === 0) continue;
    const data = Buffer.from(parts.join(""), "utf8");
    lines.addLines(members, lineNos);
    hooks.onProgress?.(lines.count);
    yield data;
  }
}
