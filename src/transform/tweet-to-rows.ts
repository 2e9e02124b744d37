import { BadLineError } from "./bad-line.js";
import { idOf } from "./exact-json.js";
import { geoWkt } from "./geo.js";
import { stripNul } from "./nul.js";
import type { MediaRow, TweetRows, UserRow } from "./rows.js";
import { twitterTimeToIso } from "./twitter-time.js";

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj | null => (isObj(v) ? v : null);
const int = (v: unknown): number | null => (typeof v === "number" ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const arr = (v: unknown): unknown[] | null => (Array.isArray(v) ? v : null);

/** How the strings of a parsed line are taken: as they are, or decoded from a byte string. */
export interface Strings {
  /** A string value (NUL characters removed); anything else is null. */
  str(v: unknown): string | null;
  /** An array's string values; not an array is null. */
  strList(v: unknown): string[] | null;
  /** A string value decoded, anything else as it is. */
  raw(v: unknown): unknown;
}

const NON_ASCII = /[\x80-\xff]/;

/** The text of a byte string's UTF-8 bytes (see tweetToRowsOfBytes). */
export const fromByteString = (s: string): string =>
  NON_ASCII.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;

/** Strings of a parsed line whose string values `decode` turns into text. */
const stringsOf = (decode: (s: string) => string): Strings => ({
  str: (v) => (typeof v === "string" ? stripNul(decode(v)) : null),
  strList: (v) =>
    Array.isArray(v)
      ? v.filter((x): x is string => typeof x === "string").map((x) => stripNul(decode(x)))
      : null,
  raw: (v) => (typeof v === "string" ? decode(v) : v),
});

export const TEXT = stringsOf((s) => s);
export const BYTES = stringsOf(fromByteString);

/** A reply target or mentioned user; updated_at is the naming tweet's created_at. */
export function unhydrated(
  id: string,
  screenName: string | null,
  name: string | null,
  updatedAt: string | null,
): UserRow {
  return {
    id,
    createdAt: null,
    updatedAt,
    url: null,
    friendsCount: null,
    listedCount: null,
    favouritesCount: null,
    statusesCount: null,
    protected: null,
    verified: null,
    screenName,
    name,
    location: null,
    description: null,
    withheldInCountries: null,
  };
}

/** `state_code`: for US places the last comma-separated part of full_name, if 2 chars or less. */
export function stateCode(countryCode: string | null, fullName: string | null): string | null {
  if (countryCode !== "us" || fullName === null) return null;
  const last = (fullName.split(",").pop() ?? "").trim().toLowerCase();
  return last.length > 2 ? null : last;
}

export function rowsOf(t: Obj, { str, strList, raw }: Strings): TweetRows {
  const id = idOf(t, "id");
  const user = obj(t.user);
  const userId = user ? idOf(user, "id") : null;
  if (id === null || user === null || userId === null) {
    throw new BadLineError("not a tweet object: it lacks an id or a user with an id");
  }
  const createdAt = twitterTimeToIso(raw(t.created_at));
  const extended = obj(t.extended_tweet);
  const entities = obj(extended ? extended.entities : t.entities);
  // 2011-2013 tweets have no extended_entities (added in 2014): their media are in entities.
  const mediaList =
    arr(obj(extended?.extended_entities)?.media) ??
    arr(obj(t.extended_entities)?.media) ??
    arr(entities?.media);
  const place = obj(t.place);
  const countryCode = place ? (str(place.country_code)?.toLowerCase() ?? null) : null;
  const placeName = place ? str(place.full_name) : null;
  const inReplyToUserId = idOf(t, "in_reply_to_user_id");

  const users: UserRow[] = [
    {
      id: userId,
      createdAt: twitterTimeToIso(raw(user.created_at)),
      updatedAt: createdAt,
      url: str(user.url),
      friendsCount: int(user.friends_count),
      listedCount: int(user.listed_count),
      favouritesCount: int(user.favourites_count),
      statusesCount: int(user.statuses_count),
      protected: bool(user.protected),
      verified: bool(user.verified),
      screenName: str(user.screen_name),
      name: str(user.name),
      location: str(user.location),
      description: str(user.description),
      withheldInCountries: strList(user.withheld_in_countries),
    },
  ];
  const seenUsers = new Set([userId]);
  if (inReplyToUserId !== null && !seenUsers.has(inReplyToUserId)) {
    seenUsers.add(inReplyToUserId);
    users.push(unhydrated(inReplyToUserId, str(t.in_reply_to_screen_name), null, createdAt));
  }

  const mentions = new Set<string>();
  for (const m of list(entities?.user_mentions)) {
    if (!isObj(m)) continue;
    const mid = idOf(m, "id");
    if (mid === null) continue;
    mentions.add(mid);
    if (!seenUsers.has(mid)) {
      seenUsers.add(mid);
      users.push(unhydrated(mid, str(m.screen_name), str(m.name), createdAt));
    }
  }

  const tags = new Set<string>();
  for (const h of list(entities?.hashtags)) {
    const text = isObj(h) ? str(h.text) : null;
    if (text !== null) tags.add(`#${text}`);
  }
  for (const s of list(entities?.symbols)) {
    const text = isObj(s) ? str(s.text) : null;
    if (text !== null) tags.add(`$${text}`);
  }

  const urls = new Set<string>();
  for (const u of list(entities?.urls)) {
    const url = isObj(u) ? str(u.expanded_url) : null;
    if (url !== null) urls.add(url);
  }

  const media: MediaRow[] = [];
  const mediaUrls = new Set<string>();
  for (const m of list(mediaList)) {
    const url = isObj(m) ? str(m.media_url) : null;
    if (url === null || mediaUrls.has(url)) continue;
    mediaUrls.add(url);
    media.push({ url, type: str((m as Obj).type) });
  }

  return {
    tweet: {
      id,
      userId,
      createdAt,
      inReplyToStatusId: idOf(t, "in_reply_to_status_id"),
      inReplyToUserId,
      quotedStatusId: idOf(t, "quoted_status_id"),
      retweetCount: int(t.retweet_count),
      favoriteCount: int(t.favorite_count),
      quoteCount: int(t.quote_count),
      withheldCopyright: bool(t.withheld_copyright),
      withheldInCountries: strList(t.withheld_in_countries),
      source: str(t.source),
      text: str(extended ? extended.full_text : t.text),
      countryCode,
      stateCode: stateCode(countryCode, placeName),
      lang: str(t.lang),
      placeName,
      geo: geoWkt(t.coordinates, place),
    },
    users,
    urls: [...urls],
    mentions: [...mentions],
    tags: [...tags],
    media,
  };
}
