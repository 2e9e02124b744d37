import { readTweetSql } from "../tweet-sql.js";

/**
 * The tables a group statement writes, in the order of its placeholders %1$s..%7$s
 * (load-group-citus.sql); %8$s is the group's shard id of tweets.
 */
export const GROUP_TABLES = [
  "tweets",
  "urls",
  "users",
  "tweet_urls",
  "tweet_mentions",
  "tweet_tags",
  "tweet_media",
] as const;

/**
 * load-group-citus.sql without its leading comment: the statement itself, the tweets
 * table's columns and parameters filled in (tweet-sql.ts).
 */
export async function groupStatementTemplate(): Promise<string> {
  const text = await readTweetSql(import.meta.url, "load-group-citus.sql");
  return text.slice(text.indexOf("WITH here AS ("));
}

/** The number of parameters of a statement: its highest $n. */
const parameterCount = (statement: string): number =>
  Math.max(...[...statement.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

/** The group statement on given shard tables, as PostgreSQL's format() fills it. */
export function groupStatement(template: string, shardNames: readonly string[], shardId: string) {
  const args = [...shardNames, shardId];
  return template.replace(/%(\d)\$s/g, (_, n: string) => args[Number(n) - 1] as string);
}

/**
 * load-tweet-citus.sql with the group statement in place (one text for both ways), the
 * count of its parameters, and the tweets table's columns and types filled in.
 */
export async function citusFunctionsSql(): Promise<string> {
  const [functions, template] = await Promise.all([
    readTweetSql(import.meta.url, "load-tweet-citus.sql"),
    groupStatementTemplate(),
  ]);
  return functions
    .replace("@GROUP_ARG_COUNT@", String(parameterCount(template)))
    .replace("@GROUP_STATEMENT@", () => template);
}
