import type { RawChunk } from "../../input/raw-chunks.js";
import { readLineBatches } from "../../input/read-lines.js";
import { stripNulEscapes } from "../../transform/nul.js";
import { tweetToRows } from "../../transform/tweet-to-rows.js";
import type { FileHooks, Rejected } from "../loader.js";
import { tweetLineError } from "../rows-of-lines.js";
import type { CopyLineMap } from "./copy-line-map.js";
import { lineTweetId } from "./line-id.js";

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
 * `validate` true: every line is judged as the other loaders judge it, bad ones (and those
 * the server refused before, in `refused`) go to `rejects`. A worker that refuses a row
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
) {
  for await (const batch of readLineBatches(file, { batchLines: 500 })) {
    const parts: string[] = [];
    const lineNos: number[] = [];
    for (const line of batch) {
      let id = lineTweetId(line.text);
      if (validate) {
        const error = refused.get(lineKey(line.member, line.lineNo)) ?? tweetLineError(line.text);
        if (error !== null) {
          rejects.push({ ...line, error });
          continue;
        }
        // A tweet whose id the quick reading misses (a key written with escapes).
        id ??= tweetToRows(line.text).tweet.id;
      } else if (id === null) {
        throw new LineNeedsValidation(`line ${line.lineNo} has no top-level tweet id`);
      }
      parts.push(id, "\x02", stripNulEscapes(line.text), "\n");
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
