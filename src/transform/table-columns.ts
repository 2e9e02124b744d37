import type { CopyValue } from "./copy-text.js";
import { type GeoMode, geoForMode } from "./geo.js";
import type { TweetRow, TweetRows, UserRow } from "./rows.js";

/** The column names of tweetColumns' values, for COPY column lists. */
export const TWEET_COLUMN_NAMES =
  "id_tweets, id_users, created_at, in_reply_to_status_id, in_reply_to_user_id, " +
  "quoted_status_id, retweet_count, favorite_count, quote_count, withheld_copyright, " +
  "withheld_in_countries, source, text, country_code, state_code, lang, place_name, geo";

/** The column names of userColumns' values (the url as text), for COPY column lists. */
export const USER_COLUMN_NAMES =
  "id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count, " +
  "statuses_count, protected, verified, screen_name, name, location, description, " +
  "withheld_in_countries, snapshot_tweet_id, hydrated";

/**
 * A tweet's values in the column order of the `tweets` table (both normalized schemas),
 * geo spelled for the database's mode. The COPY loaders and the per-tweet function's
 * arguments all start from this list, so a column added to the schema is added once.
 */
export function tweetColumns(t: TweetRow, geoMode: GeoMode): CopyValue[] {
  return [
    t.id,
    t.userId,
    t.createdAt,
    t.inReplyToStatusId,
    t.inReplyToUserId,
    t.quotedStatusId,
    t.retweetCount,
    t.favoriteCount,
    t.quoteCount,
    t.withheldCopyright,
    t.withheldInCountries,
    t.source,
    t.text,
    t.countryCode,
    t.stateCode,
    t.lang,
    t.placeName,
    geoForMode(t.geo, geoMode),
  ];
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
