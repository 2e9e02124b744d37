/**
 * The rows of each table (pg_normalized) or view (pg_denormalized) as text, with the
 * differences that v2 itself imposes taken out (docs/contract/api-v2.md): `source`
 * is the app name only (v1.1: an HTML link), media URLs are https (v1.1: http), and an
 * unhydrated user (no created_at) from a v2 mention has no name. DISTINCT: the
 * denormalized views repeat a tweet that occurs on several lines.
 */
/**
 * Which users columns to compare. "all"; "no-counts": an author's counts are a snapshot,
 * and a v2 page holds one per user (its latest in the page); "ids": which snapshot a
 * user row keeps when files load in parallel depends on their order until the users
 * snapshot rule (docs/contract/tweet-to-rows.md) is in place, so only id and screen name.
 */
export type UserColumns = "all" | "no-counts" | "ids";

export function twinQueries(kind: "normalized" | "denormalized", geo: string, users: UserColumns) {
  const url = (table: string) =>
    kind === "normalized"
      ? `(SELECT url FROM urls AS u WHERE u.id_urls = ${table}.id_urls)`
      : `${table}.url`;
  const userCounts =
    users === "all" ? "friends_count, listed_count, favourites_count, statuses_count," : "";
  return {
    tweets: `SELECT DISTINCT id_tweets, id_users, created_at, in_reply_to_status_id, in_reply_to_user_id,
      quoted_status_id, retweet_count, favorite_count, quote_count, withheld_copyright,
      withheld_in_countries, regexp_replace(source, '<[^>]*>', '', 'g'), text, country_code,
      state_code, lang, place_name, ${geo} FROM tweets ORDER BY 1`,
    tweet_urls: `SELECT DISTINCT id_tweets, ${url("tweet_urls")} FROM tweet_urls ORDER BY 1, 2`,
    tweet_mentions: "SELECT DISTINCT id_tweets, id_users FROM tweet_mentions ORDER BY 1, 2",
    tweet_tags: "SELECT DISTINCT id_tweets, tag FROM tweet_tags ORDER BY 1, 2",
    tweet_media: `SELECT DISTINCT id_tweets, replace(${url("tweet_media")}, 'http://', 'https://'), type
      FROM tweet_media ORDER BY 1, 2`,
    users:
      users === "ids"
        ? "SELECT id_users, screen_name FROM users ORDER BY 1"
        : `SELECT id_users, created_at, updated_at, ${url("users")}, ${userCounts} protected, verified,
      screen_name, CASE WHEN created_at IS NOT NULL THEN name END, location, description,
      withheld_in_countries FROM users ORDER BY 1`,
    ...(kind === "normalized"
      ? { urls: "SELECT replace(url, 'http://', 'https://') FROM urls ORDER BY 1" }
      : {}),
    tweet_tags_total: "SELECT * FROM tweet_tags_total ORDER BY 1",
    tweet_tags_cooccurrence: "SELECT * FROM tweet_tags_cooccurrence ORDER BY 1, 2",
  };
}
