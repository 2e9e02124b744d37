import type { CopyValue } from "./copy-text.js";
import { type GeoMode, geoForMode } from "./geo.js";
import type { TweetRow, TweetRows, UserRow } from "./rows.js";

/** One column of the `tweets` table. */
interface TweetColumn {
  name: string;
  /**
   * The SQL type of its argument in the loaders' functions and prepared statements (geo
   * travels as WKT text, which the column's type reads).
   */
  type: string;
  /** The argument's name in those functions: p_<name> unless named otherwise before. */
  arg?: string;
  /** Its value from a tweet's row, geo spelled for the database's mode. */
  value: (t: TweetRow, geoMode: GeoMode) => CopyValue;
}

/**
 * The `tweets` table of both normalized schemas, column by column. The COPY column lists,
 * the COPY rows, and the column lists, arguments and parameter types of the loaders' SQL
 * (tweet-sql.ts fills them into the .sql files) are all read from this list, so a column
 * added to the schema is added here once.
 */
const TWEET_TABLE: readonly TweetColumn[] = [
  // p_id and p_user_id: CREATE OR REPLACE cannot rename the argument of a function that a
  // database holds, so the first names stay.
  { name: "id_tweets", type: "bigint", arg: "p_id", value: (t) => t.id },
  { name: "id_users", type: "bigint", arg: "p_user_id", value: (t) => t.userId },
  { name: "created_at", type: "timestamptz", value: (t) => t.createdAt },
  { name: "in_reply_to_status_id", type: "bigint", value: (t) => t.inReplyToStatusId },
  { name: "in_reply_to_user_id", type: "bigint", value: (t) => t.inReplyToUserId },
  { name: "quoted_status_id", type: "bigint", value: (t) => t.quotedStatusId },
  { name: "retweet_count", type: "integer", value: (t) => t.retweetCount },
  { name: "favorite_count", type: "integer", value: (t) => t.favoriteCount },
  { name: "quote_count", type: "integer", value: (t) => t.quoteCount },
  { name: "withheld_copyright", type: "boolean", value: (t) => t.withheldCopyright },
  { name: "withheld_in_countries", type: "varchar(2)[]", value: (t) => t.withheldInCountries },
  { name: "source", type: "text", value: (t) => t.source },
  { name: "text", type: "text", value: (t) => t.text },
  { name: "country_code", type: "varchar(2)", value: (t) => t.countryCode },
  { name: "state_code", type: "varchar(2)", value: (t) => t.stateCode },
  { name: "lang", type: "text", value: (t) => t.lang },
  { name: "place_name", type: "text", value: (t) => t.placeName },
  { name: "geo", type: "text", value: (t, geoMode) => geoForMode(t.geo, geoMode) },
];

/** The column names of tweetColumns' values, for COPY column lists. */
export const TWEET_COLUMN_NAMES = TWEET_TABLE.map((c) => c.name).join(", ");

/** The loaders' function arguments of tweetColumns' values, in order: name and SQL type. */
export const TWEET_ARGS: readonly { name: string; type: string }[] = TWEET_TABLE.map((c) => ({
  name: c.arg ?? `p_${c.name}`,
  type: c.type,
}));

/** The column names of userColumns' values (the url as text), for COPY column lists. */
export const USER_COLUMN_NAMES =
  "id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count, " +
  "statuses_count, protected, verified, screen_name, name, location, description, " +
  "withheld_in_countries, snapshot_tweet_id, hydrated";

/** A tweet's values in the column order of the `tweets` table (TWEET_TABLE). */
export function tweetColumns(t: TweetRow, geoMode: GeoMode): CopyValue[] {
  return TWEET_TABLE.map((c) => c.value(t, geoMode));
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
