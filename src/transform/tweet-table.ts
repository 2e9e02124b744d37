import type { CopyValue } from "./copy-text.js";
import { type GeoMode, geoForMode } from "./geo.js";

/**
 * The one description of the `tweets` table of both normalized schemas: the row a tweet
 * becomes (TweetRow) and its columns in table order (TWEET_TABLE). A new column is a field
 * here and an entry below, beside services/tweets.sql, the readers that fill it
 * (tweet-to-rows.ts, v2/v2-tweet-to-rows.ts) and pg_denormalized's view
 * (docs/internals.md lists them).
 */

/** A tweets row; geo is WKT without an SRID prefix (the loader adds it in PostGIS mode). */
export interface TweetRow {
  id: string;
  userId: string;
  createdAt: string | null;
  inReplyToStatusId: string | null;
  inReplyToUserId: string | null;
  quotedStatusId: string | null;
  retweetCount: number | null;
  favoriteCount: number | null;
  quoteCount: number | null;
  withheldCopyright: boolean | null;
  withheldInCountries: string[] | null;
  source: string | null;
  text: string | null;
  countryCode: string | null;
  stateCode: string | null;
  lang: string | null;
  placeName: string | null;
  geo: string | null;
}

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
export const TWEET_TABLE: readonly TweetColumn[] = [
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
