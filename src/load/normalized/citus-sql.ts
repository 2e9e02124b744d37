import { readSqlFile } from "../../db/sql-file.js";

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

/** load-group-citus.sql without its leading comment: the statement itself. */
export async function groupStatementTemplate(): Promise<string> {
  const text = await readSqlFile(import.meta.url, "load-group-citus.sql");
  return text.slice(text.indexOf("WITH here AS ("));
}

/** The group statement on given shard tables, as PostgreSQL's format() fills it. */
export function groupStatement(template: string, shardNames: readonly string[], shardId: string) {
  const args = [...shardNames, shardId];
  return template.replace(/%(\d)\$s/g, (_, n: string) => args[Number(n) - 1] as string);
}

/** load-tweet-citus.sql with the group statement in place (one text for both ways). */
export async function citusFunctionsSql(): Promise<string> {
  const [functions, template] = await Promise.all([
    readSqlFile(import.meta.url, "load-tweet-citus.sql"),
    groupStatementTemplate(),
  ]);
  return functions.replace("@GROUP_STATEMENT@", template);
}
