import { readSqlFile } from "../db/sql-file.js";
import { TWEET_ARGS, TWEET_COLUMN_NAMES, USER_COLUMN_NAMES } from "../transform/table-columns.js";

/** The users table's columns but its key; USER_COLUMN_NAMES carries the url as text. */
const USER_SET = USER_COLUMN_NAMES.split(", ")
  .filter((c) => c !== "id_users")
  .map((c) => (c === "url" ? "id_urls" : c))
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(", ");

const USERS_NEWER_SNAPSHOT = `ON CONFLICT (id_users) DO UPDATE SET ${USER_SET}
  WHERE tweetload_snapshot_rank(EXCLUDED.hydrated, EXCLUDED.updated_at, EXCLUDED.snapshot_tweet_id)
      > tweetload_snapshot_rank(users.hydrated, users.updated_at, users.snapshot_tweet_id)`;

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
 * - `@USERS_NEWER_SNAPSHOT@`: the users upsert's conflict clause, which replaces a held row
 *   only by one of greater tweetload_snapshot_rank (services/user-snapshot.sql), every
 *   loader's users statement alike.
 */
export function fillTweetSql(sql: string): string {
  let after: number | undefined;
  const filled = sql
    .replaceAll("@TWEET_COLUMNS@", TWEET_COLUMN_NAMES)
    .replaceAll("@TWEET_PARAMS@", TWEET_ARGS.map((a) => `${a.name} ${a.type}`).join(",\n  "))
    .replaceAll("@TWEET_ARGS@", TWEET_ARGS.map((a) => a.name).join(", "))
    .replaceAll("@TWEET_TYPES@", TWEET_ARGS.map((a) => a.type).join(", "))
    .replaceAll("@USERS_NEWER_SNAPSHOT@", USERS_NEWER_SNAPSHOT)
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
