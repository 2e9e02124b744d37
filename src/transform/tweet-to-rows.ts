import { BadLineError } from "../errors.js";
import { idOf } from "./exact-json.js";
import { arrayValue, badField, countValue, flagValue, objectValue } from "./field-values.js";
import { boxOf, geoWkt, pointOf } from "./geo.js";
import { countryCodeOf, stateCode } from "./place-fields.js";
import type { MediaRow, TweetRows, UserRow } from "./rows.js";
import type { Strings } from "./strings.js";
import { capped, checkRoom } from "./tweet-limits.js";
import { v1Time } from "./twitter-time.js";

type Obj = Record<string, unknown>;

export { stateCode } from "./place-fields.js";
export { BYTES, fromByteString, type Strings, TEXT } from "./strings.js";

/** The items of an entity list, each an object (docs/line-rules.md), at most MAX_ITEMS. */
export function entityItems(list: unknown, where: string): Obj[] {
  return capped(arrayValue(list, where), where).map((item, i) =>
    typeof item === "object" && item !== null && !Array.isArray(item)
      ? (item as Obj)
      : badField(() => `${where}[${i}]`, item, "is not an object"),
  );
}

/**
 * A tweet's tags, distinct: `#` and each hashtag's text, `$` and each symbol's (v1.1 reads
 * `text`, v2 `tag`; v2's symbols are `cashtags`). An item without one adds no tag.
 */
export function tagsOf(
  hashtags: Obj[],
  symbols: Obj[],
  names: { key: string; symbols: string },
  at: string,
  s: Strings,
): Set<string> {
  const tags = new Set<string>();
  for (const [list, sign, where] of [
    [hashtags, "#", `${at}entities.hashtags`],
    [symbols, "$", names.symbols],
  ] as const) {
    list.forEach((item, i) => {
      const tag = s.str(item[names.key], () => `${where}[${i}].${names.key}`);
      if (tag !== null) tags.add(`${sign}${tag}`);
    });
  }
  return tags;
}

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

function authorRow(user: Obj, id: string, updatedAt: string | null, s: Strings): UserRow {
  return {
    id,
    createdAt: v1Time(user.created_at, "user.created_at"),
    updatedAt,
    url: s.str(user.url, "user.url"),
    friendsCount: countValue(user.friends_count, "user.friends_count"),
    listedCount: countValue(user.listed_count, "user.listed_count"),
    favouritesCount: countValue(user.favourites_count, "user.favourites_count"),
    statusesCount: countValue(user.statuses_count, "user.statuses_count"),
    protected: flagValue(user.protected, "user.protected"),
    verified: flagValue(user.verified, "user.verified"),
    screenName: s.str(user.screen_name, "user.screen_name"),
    name: s.str(user.name, "user.name"),
    location: s.str(user.location, "user.location"),
    description: s.str(user.description, "user.description"),
    withheldInCountries: s.countries(user.withheld_in_countries, "user.withheld_in_countries"),
  };
}

/**
 * One v1.1 tweet → its rows, by the contract's "From a tweet to rows", every value read
 * by the rules of docs/line-rules.md: a value that does not fit its column, or a list
 * past what a tweet can hold, throws the BadLineError that rejects the line.
 */
export function rowsOf(t: Obj, s: Strings): TweetRows {
  const id = idOf(t, "id");
  const user = objectValue(t.user, "user");
  const userId = user ? idOf(user, "id", "user.") : null;
  if (id === null || user === null || userId === null) {
    throw new BadLineError("not a tweet object: it lacks an id or a user with an id");
  }
  const createdAt = v1Time(t.created_at, "created_at");
  const extended = objectValue(t.extended_tweet, "extended_tweet");
  const at = extended ? "extended_tweet." : "";
  const entities = objectValue(extended ? extended.entities : t.entities, `${at}entities`);
  const media = mediaOf(t, extended, entities);
  const place = objectValue(t.place, "place");
  const countryCode = place
    ? countryCodeOf(s.str(place.country_code, "place.country_code"), "place.country_code")
    : null;
  const placeName = place ? s.str(place.full_name, "place.full_name") : null;
  const box = place
    ? boxOf(
        objectValue(place.bounding_box, "place.bounding_box")?.coordinates,
        "place.bounding_box.coordinates",
      )
    : null;
  const inReplyToUserId = idOf(t, "in_reply_to_user_id");
  const text = s.str(extended ? extended.full_text : t.text, extended ? `${at}full_text` : "text");

  const users: UserRow[] = [authorRow(user, userId, createdAt, s)];
  const seenUsers = new Set([userId]);
  const replyName = s.str(t.in_reply_to_screen_name, "in_reply_to_screen_name");
  if (inReplyToUserId !== null && !seenUsers.has(inReplyToUserId)) {
    seenUsers.add(inReplyToUserId);
    users.push(unhydrated(inReplyToUserId, replyName, null, createdAt));
  }

  const mentionList = entityItems(entities?.user_mentions, `${at}entities.user_mentions`);
  const mentions = new Set<string>();
  mentionList.forEach((m, i) => {
    const where = `${at}entities.user_mentions[${i}].`;
    const mid = idOf(m, "id", where);
    const screenName = s.str(m.screen_name, `${where}screen_name`);
    const name = s.str(m.name, `${where}name`);
    if (mid === null) return;
    mentions.add(mid);
    if (!seenUsers.has(mid)) {
      seenUsers.add(mid);
      users.push(unhydrated(mid, screenName, name, createdAt));
    }
  });

  const hashtags = entityItems(entities?.hashtags, `${at}entities.hashtags`);
  const symbols = entityItems(entities?.symbols, `${at}entities.symbols`);
  const urlList = entityItems(entities?.urls, `${at}entities.urls`);
  checkRoom(
    text,
    { tags: hashtags.length + symbols.length, mentions: mentionList.length, urls: urlList.length },
    `${at}entities`,
  );
  const tags = tagsOf(hashtags, symbols, { key: "text", symbols: `${at}entities.symbols` }, at, s);
  const urls = new Set<string>();
  urlList.forEach((u, i) => {
    const url = s.str(u.expanded_url, () => `${at}entities.urls[${i}].expanded_url`);
    if (url !== null) urls.add(url);
  });

  const mediaRows: MediaRow[] = [];
  const mediaUrls = new Set<string>();
  media.items.forEach((m, i) => {
    const url = s.str(m.media_url, () => `${media.where}[${i}].media_url`);
    const type = s.str(m.type, () => `${media.where}[${i}].type`);
    if (url === null || mediaUrls.has(url)) return;
    mediaUrls.add(url);
    mediaRows.push({ url, type });
  });

  return {
    tweet: {
      id,
      userId,
      createdAt,
      inReplyToStatusId: idOf(t, "in_reply_to_status_id"),
      inReplyToUserId,
      quotedStatusId: idOf(t, "quoted_status_id"),
      retweetCount: countValue(t.retweet_count, "retweet_count"),
      favoriteCount: countValue(t.favorite_count, "favorite_count"),
      quoteCount: countValue(t.quote_count, "quote_count"),
      withheldCopyright: flagValue(t.withheld_copyright, "withheld_copyright"),
      withheldInCountries: s.countries(t.withheld_in_countries, "withheld_in_countries"),
      source: s.str(t.source, "source"),
      text,
      countryCode,
      stateCode: stateCode(countryCode, placeName),
      lang: s.str(t.lang, "lang"),
      placeName,
      geo: geoWkt(pointOf(t.coordinates, "coordinates"), box),
    },
    users,
    urls: [...urls],
    mentions: [...mentions],
    tags: [...tags],
    media: mediaRows,
  };
}

/**
 * The media list the contract reads: extended_tweet.extended_entities.media when the
 * tweet has one, else extended_entities.media, else the entities' media (2011-2013
 * tweets: extended_entities came in 2014), else none.
 */
function mediaOf(
  t: Obj,
  extended: Obj | null,
  entities: Obj | null,
): { items: Obj[]; where: string } {
  const inner = extended
    ? objectValue(extended.extended_entities, "extended_tweet.extended_entities")
    : null;
  if (inner && arrayValue(inner.media, "extended_tweet.extended_entities.media") !== null) {
    const where = "extended_tweet.extended_entities.media";
    return { items: entityItems(inner.media, where), where };
  }
  const outer = objectValue(t.extended_entities, "extended_entities");
  if (outer && arrayValue(outer.media, "extended_entities.media") !== null) {
    return {
      items: entityItems(outer.media, "extended_entities.media"),
      where: "extended_entities.media",
    };
  }
  const where = `${extended ? "extended_tweet." : ""}entities.media`;
  return { items: entityItems(entities?.media, where), where };
}
