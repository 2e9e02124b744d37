import type { CopyValue } from "./copy-text.js";
import { geoForMode } from "./geo.js";
import type { TweetRow, UserRow } from "./rows.js";

/**
 * A tweet's values in the column order of the `tweets` table (both normalized schemas),
 * geo spelled for the database's mode. The COPY loaders and the per-tweet function's
 * arguments all start from this list, so a column added to the schema is added once.
 */
export function tweetColumns(t: TweetRow, geoMode: "postgis" | "text"): CopyValue[] {
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

/** A user's values in the column order of the `users` table, with the url as text. */
export function userColumns(u: UserRow): CopyValue[] {
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
  ];
}
