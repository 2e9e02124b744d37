import type { CopyValue } from "./copy-text.js";
import type { GeoMode } from "./geo.js";
import type { TweetRow, TweetRows, UserRow } from "./rows.js";
import { TWEET_TABLE } from "./tweet-table.js";

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
