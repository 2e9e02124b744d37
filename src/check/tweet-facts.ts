/**
 * What the checker's queries need to know about one tweet, read straight from
 * its JSON by the rules of the data contract (docs/contract/tweet-to-rows.md).
 * This is an independent second reading of the JSON: it shares no code with
 * src/transform, so the expected answers do not inherit a loader's bugs.
 */
export interface TweetFacts {
  /** The id's exact decimal digits. */
  id: string;
  lang: string | null;
  /** lower(place.country_code). */
  countryCode: string | null;
  /** created_at's UTC day, YYYY-MM-DD. */
  day: string | null;
  /** created_at in milliseconds since the epoch, to tell the latest tweet of a user. */
  createdMs: number | null;
  /** The author as this tweet shows it: the snapshot its user row holds if the tweet is the latest. */
  author: { id: string; screenName: string | null; statusesCount: number | null };
  /** extended_tweet.full_text, else text; NULs removed. */
  text: string | null;
  /** '#' + hashtag, '$' + cashtag, as written. */
  tags: string[];
  mentionedUserIds: string[];
  mediaUrls: string[];
}

/** A tweet's values as either API version holds them, before the contract's normalisations. */
export interface RawFacts {
  id: string;
  lang: string | null;
  countryCode: string | null;
  /** created_at as written (v1.1's Twitter date or v2's ISO 8601). */
  createdAt: unknown;
  author: { id: string; screenName: string | null; statusesCount: unknown };
  text: string | null;
  tags: string[];
  mentionedUserIds: string[];
  mediaUrls: string[];
}

/**
 * TweetFacts from the raw values: the normalisations both readings share (country code
 * lower-cased, created_at as a UTC day and milliseconds, a statuses count only when it
 * is an integer) live here once.
 */
export function factsOf(raw: RawFacts): TweetFacts {
  const { countryCode, createdAt, author, ...rest } = raw;
  const statuses = author.statusesCount;
  return {
    ...rest,
    countryCode: countryCode === null ? null : countryCode.toLowerCase(),
    day: utcDay(createdAt),
    createdMs: utcMillis(createdAt),
    author: {
      id: author.id,
      screenName: author.screenName,
      statusesCount: typeof statuses === "number" && Number.isInteger(statuses) ? statuses : null,
    },
  };
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** PostgreSQL text cannot hold NUL: the contract removes every \u0000. */
const clean = (s: string): string => s.replaceAll("\u0000", "");
const text = (v: unknown): string | null =>
  typeof v === "string"
    ? clean(v)
    : typeof v === "number" || typeof v === "boolean"
      ? String(v)
      : null;
const idText = (v: unknown): string | null =>
  typeof v === "string" && /^-?\d+$/.test(v)
    ? BigInt(v).toString()
    : typeof v === "number"
      ? String(v)
      : null;

/** Facts of one parsed tweet (parsed with big integers kept as strings), or null if it is not a tweet. */
export function tweetFacts(tweet: unknown): TweetFacts | null {
  if (!isObject(tweet)) return null;
  const id = idText(tweet.id) ?? idText(tweet.id_str);
  if (id === null) return null;
  const user = isObject(tweet.user) ? tweet.user : undefined;
  const authorId = user ? (idText(user.id) ?? idText(user.id_str)) : null;
  if (!user || authorId === null) return null;
  const extended = isObject(tweet.extended_tweet) ? tweet.extended_tweet : undefined;
  const entities = (extended ? extended.entities : tweet.entities) as unknown;
  const ents = isObject(entities) ? entities : {};
  const place = isObject(tweet.place) ? tweet.place : {};
  const mediaSource =
    (extended &&
    isObject(extended.extended_entities) &&
    Array.isArray(extended.extended_entities.media)
      ? extended.extended_entities.media
      : undefined) ??
    (isObject(tweet.extended_entities) && Array.isArray(tweet.extended_entities.media)
      ? tweet.extended_entities.media
      : undefined) ??
    // 2011-2013 tweets: media only in entities (extended_entities came in 2014).
    (Array.isArray(ents.media) ? ents.media : []);

  const tags: string[] = [];
  for (const h of asArray(ents.hashtags)) {
    const t = isObject(h) ? text(h.text) : null;
    if (t !== null) tags.push(`#${t}`);
  }
  for (const s of asArray(ents.symbols)) {
    const t = isObject(s) ? text(s.text) : null;
    if (t !== null) tags.push(`$${t}`);
  }
  const mentionedUserIds: string[] = [];
  for (const m of asArray(ents.user_mentions)) {
    const mid = isObject(m) ? (idText(m.id) ?? idText(m.id_str)) : null;
    if (mid !== null) mentionedUserIds.push(mid);
  }
  const mediaUrls: string[] = [];
  for (const m of mediaSource) {
    const url = isObject(m) ? text(m.media_url) : null;
    if (url !== null) mediaUrls.push(url);
  }
  return factsOf({
    id,
    lang: text(tweet.lang),
    countryCode: text(place.country_code),
    createdAt: tweet.created_at,
    author: {
      id: authorId,
      screenName: text(user.screen_name),
      statusesCount: user.statuses_count,
    },
    text: text(extended ? extended.full_text : tweet.text),
    tags,
    mentionedUserIds,
    mediaUrls,
  });
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const TWITTER_DATE =
  /^\w{3} (\w{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** The UTC calendar day of a Twitter created_at ("Fri Jan 01 12:34:56 +0000 2021"). */
export function utcDay(value: unknown): string | null {
  const ms = utcMillis(value);
  return ms === null ? null : new Date(ms).toISOString().slice(0, 10);
}

/** A Twitter created_at (or an ISO 8601 time) in milliseconds since the epoch. */
export function utcMillis(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = TWITTER_DATE.exec(value.trim());
  let ms: number;
  if (m) {
    const [, mon, d, hh, mm, ss, sign, oh, om, yyyy] = m as unknown as string[];
    const offset = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    ms =
      Date.UTC(
        Number(yyyy),
        MONTHS.indexOf(mon as string),
        Number(d),
        Number(hh),
        Number(mm),
        Number(ss),
      ) - offset;
  } else {
    ms = Date.parse(value);
  }
  return Number.isNaN(ms) ? null : ms;
}
