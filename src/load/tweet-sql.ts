import { readSqlFile } from "../db/sql-file.js";
import { TWEET_ARGS, TWEET_COLUMN_NAMES } from "../transform/table-columns.js";

/**
 * A loader's SQL with the `tweets` table's lists filled in from the one description of its
 * columns (TWEET_TABLE in transform/tweet-table.ts), so that no .sql file spells them:
 *
 * - `@TWEET_COLUMNS@`: the column names, `id_tweets, id_users, …`
 * - `@TWEET_PARAMS@`: a function's arguments, `p_id bigint, p_user_id bigint, …`
 * - `@TWEET_ARGS@`: those arguments passed on, `p_id, p_user_id, …`
 * - `@TWEET_TYPES@`: their types, for a PREPARE or a function's signature
 * - `@TWEET_PLACEHOLDERS:n@`: the statement parameters `$n, $n+1, …`, one per column, and
 *   `$T+k` the k-th parameter after them, so the later parameters of a statement need no
 *   renumbering when a column is added.
 */
export function fillTweetSql(sql: string): string {
  let after: number | undefined;
  const filled = sql
    .replaceAll("@TWEET_COLUMNS@", TWEET_COLUMN_NAMES)
    .replaceAll("@TWEET_PARAMS@", TWEET_ARGS.map((a) => `${a.name} ${a.type}`).join(",\n  "))
    .replaceAll("@TWEET_ARGS@", TWEET_ARGS.map((a) => a.name).join(", "))
    .replaceAll("@TWEET_TYPES@", TWEET_ARGS.map((a) => a.type).join(", "))
    .replace(/@TWEET_PLACEHOLDERS:(\d+)@/g, (_, first: string) => {
      const from = Number(first);
      after = from + TWEET_ARGS.length - 1;
      return TWEET_ARGS.map((_, i) => `$${from + i}`).join(", ");
    });
  return filled.replace(/\$T\+(\d+)/g, (_, k: string) => {
    if (after === undefined) {
      throw new Error("a loader's SQL names $T+k without @TWEET_PLACEHOLDERS:n@ before it");
    }
    return `$${after + Number(k)}`;
  });
}

/** readSqlFile, then fillTweetSql. */
export async function readTweetSql(moduleUrl: string, name: string): Promise<string> {
  return fillTweetSql(await readSqlFile(moduleUrl, name));
}
