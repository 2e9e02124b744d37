import type { JsonValue } from "./json-text.js";
import type { Rng } from "./prng.js";

/**
 * The shape of the tweets generated: 2021, the streaming API's full shape (the default,
 * unchanged); 2012, the shape of 2011-2013 tweets as the Stream Grab holds them: at most
 * 140 characters (no extended_tweet, no display_text_range), no quote_count, reply_count
 * or favorite_count, no quoted tweets, extended_entities, filter_level, timestamp_ms or
 * withheld fields (all added later), and often no place, also beside coordinates.
 */
export const ERAS = ["2021", "2012"] as const;
export type Era = (typeof ERAS)[number];

/** Where an era's days and accounts lie in time. */
export interface EraDates {
  /** The first generated day (file or tar day 0). */
  firstDay: number;
  /** Accounts with snowflake ids were created from here until firstDay. */
  snowflakeAccountsFrom: number;
  /** Accounts with small ids were created from 2007 until here. */
  smallIdAccountsUntil: number;
}

export const ERA_DATES: Record<Era, EraDates> = {
  "2021": {
    firstDay: Date.UTC(2021, 0, 1),
    snowflakeAccountsFrom: Date.UTC(2016, 0, 1),
    smallIdAccountsUntil: Date.UTC(2015, 0, 1),
  },
  "2012": {
    firstDay: Date.UTC(2012, 0, 1),
    // Snowflake ids began on 2010-11-04.
    snowflakeAccountsFrom: Date.UTC(2010, 10, 5),
    smallIdAccountsUntil: Date.UTC(2010, 10, 1),
  },
};

/** Longest text of a 2012 tweet: 140 characters, the media link included. */
export const ERA_2012_TEXT_LIMIT = 140;

/** Tweet fields the streaming API added after 2013. */
const LATER_TWEET_FIELDS = [
  "display_text_range",
  "quote_count",
  "reply_count",
  "favorite_count",
  "quoted_status_id",
  "quoted_status_id_str",
  "quoted_status",
  "quoted_status_permalink",
  "is_quote_status",
  "extended_tweet",
  "extended_entities",
  "filter_level",
  "timestamp_ms",
  "withheld_copyright",
  "withheld_in_countries",
  "withheld_scope",
];

/** User fields added after 2013. */
const LATER_USER_FIELDS = ["translator_type", "withheld_in_countries", "profile_banner_url"];

/**
 * Makes a generated tweet (short, never truncated) the shape of a 2012 one, in place.
 * Place: a tweet with coordinates keeps its place half the time, one without a third of
 * the time (one draw of `rng`).
 */
export function toEra2012(tweet: Record<string, JsonValue | undefined>, rng: Rng): void {
  for (const field of LATER_TWEET_FIELDS) delete tweet[field];
  const user = tweet.user as Record<string, JsonValue | undefined>;
  for (const field of LATER_USER_FIELDS) delete user[field];
  const keepPlace = rng.float() < (tweet.coordinates === null ? 1 / 3 : 1 / 2);
  if (!keepPlace) tweet.place = null;
}
