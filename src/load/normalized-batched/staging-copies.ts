import { ChunkedText } from "../../transform/chunked-text.js";
import { copyLine } from "../../transform/copy-text.js";
import type { TweetRows } from "../../transform/rows.js";
import { tweetColumns, userColumns } from "../../transform/table-columns.js";
import type { TableCopy } from "../normalized-batch/batch-copy.js";

const copySql = (table: string, columns: string) => `COPY ${table} (${columns}) FROM STDIN`;

const USERS = copySql(
  "stage_users",
  "id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count, " +
    "statuses_count, protected, verified, screen_name, name, location, description, " +
    "withheld_in_countries",
);
const TWEETS = copySql(
  "stage_tweets",
  "id_tweets, id_users, created_at, in_reply_to_status_id, in_reply_to_user_id, " +
    "quoted_status_id, retweet_count, favorite_count, quote_count, withheld_copyright, " +
    "withheld_in_countries, source, text, country_code, state_code, lang, place_name, geo, " +
    "author_url",
);
const URLS = copySql("stage_tweet_urls", "id_tweets, url");
const MENTIONS = copySql("stage_tweet_mentions", "id_tweets, id_users");
const TAGS = copySql("stage_tweet_tags", "id_tweets, tag");
const MEDIA = copySql("stage_tweet_media", "id_tweets, url, type");

/**
 * A batch as COPY payloads for the staging tables of staging.sql. Like the per-tweet
 * loader run in input order: a tweet repeated in the batch counts once (its first
 * occurrence), and each user is staged with its first row among the batch's tweets.
 * Users in `present` (known to be in the database already, whose row therefore stays)
 * are not staged at all.
 */
export function stagingCopies(
  batch: readonly TweetRows[],
  geoMode: "postgis" | "text",
  present: ReadonlySet<string> = new Set(),
): TableCopy[] {
  const users = new ChunkedText();
  const tweets = new ChunkedText();
  const urls = new ChunkedText();
  const mentions = new ChunkedText();
  const tags = new ChunkedText();
  const media = new ChunkedText();
  const seenUsers = new Set<string>();
  const seenTweets = new Set<string>();
  for (const rows of batch) {
    const t = rows.tweet;
    if (seenTweets.has(t.id)) continue;
    seenTweets.add(t.id);
    for (const u of rows.users) {
      if (seenUsers.has(u.id) || present.has(u.id)) continue;
      seenUsers.add(u.id);
      users.push(copyLine(userColumns(u)));
    }
    tweets.push(
      copyLine([
        ...tweetColumns(t, geoMode),
        // users[0] is the tweet's author (see TweetRows)
        rows.users[0]?.url ?? null,
      ]),
    );
    for (const url of rows.urls) urls.push(copyLine([t.id, url]));
    for (const id of rows.mentions) mentions.push(copyLine([t.id, id]));
    for (const tag of rows.tags) tags.push(copyLine([t.id, tag]));
    for (const m of rows.media) media.push(copyLine([t.id, m.url, m.type]));
  }
  return [
    { table: "stage_users", sql: USERS, data: users.take(true) },
    { table: "stage_tweets", sql: TWEETS, data: tweets.take(true) },
    { table: "stage_tweet_urls", sql: URLS, data: urls.take(true) },
    { table: "stage_tweet_mentions", sql: MENTIONS, data: mentions.take(true) },
    { table: "stage_tweet_tags", sql: TAGS, data: tags.take(true) },
    { table: "stage_tweet_media", sql: MEDIA, data: media.take(true) },
  ].filter((c) => c.data.length > 0);
}
