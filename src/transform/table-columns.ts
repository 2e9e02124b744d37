import type { CopyValue } from "./copy-text.js";
import { type GeoMode, geoForMode } from "./geo.js";
import type { TweetRow, TweetRows, UserRow } from "./rows.js";

/**
 * The `tweets` table of both normalized schemas, column by column: its name and its value
 * from a tweet's row (geo spelled for the database's mode). The COPY column lists, the
 * COPY rows and the per-tweet function's arguments are all read from this list, so a column
 * added to the schema is added here once.
 */
const TWEET_TABLE: readonly (readonly [string, (t: TweetRow, geoMode: GeoMode) => CopyValue])[] = [
  ["id_tweets", (t) => t.id],
  ["id_users", (t) => t.userId],
  ["created_at", (t) => t.createdAt],
  ["in_reply_to_status_id", (t) => t.inReplyToStatusId],
  ["in_reply_to_user_id", (t) => t.inReplyToUserId],
  ["quoted_status_id", (t) => t.quotedStatusId],
  ["retweet_count", (t) => t.retweetCount],
  ["favorite_count", (t) => t.favoriteCount],
  ["quote_count", (t) => t.quoteCount],
  ["withheld_copyright", (t) => t.withheldCopyright],
  ["withheld_in_countries", (t) => t.withheldInCountries],
  ["source", (t) => t.source],
  ["text", (t) => t.text],
  ["country_code", (t) => t.countryCode],
  ["state_code", (t) => t.stateCode],
  ["lang", (t) => t.lang],
  ["place_name", (t) => t.placeName],
  ["geo", (t, geoMode) => geoForMode(t.geo, geoMode)],
];

/** The column names of tweetColumns' values, for COPY column lists. */
export const TWEET_COLUMN_NAMES = TWEET_TABLE.map(([name]) => name).join(", ");

/** The column names of userColumns' values (the url as text), for COPY column lists. */
export const USER_COLUMN_NAMES =
  "id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count, " +
  "statuses_count, protected, verified, screen_name, name, location, description, " +
  "withheld_in_countries, snapshot_tweet_id, hydrated";

/** A tweet's values in the column order of the `tweets` table (TWEET_TABLE). */
export function tweetColumns(t: TweetRow, geoMode: GeoMode): CopyValue[] {
  return TWEET_TABLE.map(([, value]) => value(t, geoMode));
}

/**
 * A user's values in the column order of the `users` table, with the url as text, and
 * where the snapshot came from: the id of the tweet that named the user, and whether the
 * row is that tweet's author (hydrated) rather than a reply target or mention.
 */
export function userColumns(u: UserRow, snapshotTweetId: string, hydrated: boolean): CopyValue[] {
  return [
    u.id,
    u.createdAt,
    u.updatedAt,
    u.url,
    u.friendsCount,
    u.listedCount,
    u.favouritesCount,
    u.statusesCount,
    u.protected,
    u.verified,
    u.screenName,
    u.name,
    u.location,
    u.description,
    u.withheldInCountries,
    snapshotTweetId,
    hydrated,
  ];
}

/** Each user row of a tweet with its userColumns: users[0] is the author (see TweetRows). */
export function tweetUserColumns(rows: TweetRows): { id: string; columns: CopyValue[] }[] {
  return rows.users.map((u, i) => ({ id: u.id, columns: userColumns(u, rows.tweet.id, i === 0) }));
}
