import { BadLineError } from "../../errors.js";
import { idOf } from "../exact-json.js";
import { arrayValue, badField, countValue, flagValue, objectValue } from "../field-values.js";
import { boxOf, geoWkt, pointOf } from "../geo.js";
import { countryCodeOf, stateCode } from "../place-fields.js";
import type { MediaRow, TweetRows, UserRow } from "../rows.js";
import type { Strings } from "../strings.js";
import { checkRoom } from "../tweet-limits.js";
import { entityItems, tagsOf, unhydrated } from "../tweet-to-rows.js";
import { v2Time } from "../twitter-time.js";
import { isObj, type Obj } from "./json-access.js";

/**
 * Why a v2 tweet (flattened or from a page) cannot be loaded at all, or null when it has
 * what every tweet needs: an id, and an author with an id, as for v1.1. A tweet holding a
 * `user` object is refused too: stored in pg_denormalized it would read as a v1.1 tweet.
 */
export function v2TweetError(tweet: unknown): string | null {
  if (!isObj(tweet)) return "not a tweet object: the JSON value is not an object";
  if (idOf(tweet, "id") === null || authorId(tweet) === null) {
    return "not a tweet object: it lacks an id or an author_id";
  }
  if (isObj(tweet.user)) {
    return 'a v2 tweet holds a "user" object, which marks a v1.1 tweet: it would be read as one';
  }
  return null;
}

function authorId(t: Obj): string | null {
  const author = objectValue(t.author, "author");
  return idOf(t, "author_id") ?? (author ? idOf(author, "id", "author.") : null);
}

/** The id of the first `referenced_tweets` entry of `type` (replied_to, quoted). */
function referenced(refs: Obj[], type: string): string | null {
  for (const [i, ref] of refs.entries()) {
    if (ref.type === type) return idOf(ref, "id", `referenced_tweets[${i}].`);
  }
  return null;
}

/** A v2 place bbox [w, s, e, n] as the v1.1 bounding box ring, so one geo rule serves both. */
function boxOfBbox(bbox: unknown) {
  const where = "geo.geo.bbox";
  const list = arrayValue(bbox, where);
  if (list === null) return null;
  if (list.length !== 4) return badField(where, bbox, "is not a box [west, south, east, north]");
  const [w, s, e, n] = list;
  return boxOf(
    [
      [
        [w, s],
        [w, n],
        [e, n],
        [e, s],
      ],
    ],
    where,
  );
}

function authorRow(id: string, author: Obj | null, createdAt: string | null, s: Strings): UserRow {
  const metrics = objectValue(author?.public_metrics, "author.public_metrics");
  const withheld = objectValue(author?.withheld, "author.withheld");
  const url = s.str(author?.url, "author.url");
  return {
    id,
    createdAt: v2Time(author?.created_at, "author.created_at"),
    updatedAt: createdAt,
    url: url === "" ? null : url,
    friendsCount: countValue(metrics?.following_count, "author.public_metrics.following_count"),
    listedCount: countValue(metrics?.listed_count, "author.public_metrics.listed_count"),
    favouritesCount: countValue(metrics?.like_count, "author.public_metrics.like_count"),
    statusesCount: countValue(metrics?.tweet_count, "author.public_metrics.tweet_count"),
    protected: flagValue(author?.protected, "author.protected"),
    verified: flagValue(author?.verified, "author.verified"),
    screenName: s.str(author?.username, "author.username"),
    name: s.str(author?.name, "author.name"),
    location: s.str(author?.location, "author.location"),
    description: s.str(author?.description, "author.description"),
    withheldInCountries: s.countries(withheld?.country_codes, "author.withheld.country_codes"),
  };
}

/**
 * One flattened v2 tweet → its rows, by the v2 mapping table of docs/contract/api-v2.md, every value read
 * by the rules of docs/line-rules.md. A page's tweets are flattened first (flattenPage),
 * so this one function serves both shapes. Throws BadLineError when v2TweetError finds a
 * reason or a value does not fit.
 */
export function rowsOfV2Tweet(t: Obj, s: Strings): TweetRows {
  const reason = v2TweetError(t);
  if (reason !== null) throw new BadLineError(reason);
  const id = idOf(t, "id") as string;
  const userId = authorId(t) as string;
  const createdAt = v2Time(t.created_at, "created_at");
  const note = objectValue(t.note_tweet, "note_tweet");
  const at = note ? "note_tweet." : "";
  const entities = objectValue(note ? note.entities : t.entities, `${at}entities`);
  const text = s.str(note ? note.text : t.text, `${at}text`);
  const geo = objectValue(t.geo, "geo");
  const countryCode = countryCodeOf(
    s.str(geo?.country_code, "geo.country_code"),
    "geo.country_code",
  );
  const placeName = s.str(geo?.full_name, "geo.full_name");
  const box = boxOfBbox(objectValue(geo?.geo, "geo.geo")?.bbox);
  const inReplyToUserId = idOf(t, "in_reply_to_user_id");
  const withheld = objectValue(t.withheld, "withheld");
  const metrics = objectValue(t.public_metrics, "public_metrics");
  const refs = entityItems(t.referenced_tweets, "referenced_tweets");
  refs.forEach((ref, i) => {
    s.str(ref.type, () => `referenced_tweets[${i}].type`);
  });

  const users = [authorRow(userId, objectValue(t.author, "author"), createdAt, s)];
  const seenUsers = new Set([userId]);
  const replyTo = objectValue(t.in_reply_to_user, "in_reply_to_user");
  const replyName = s.str(replyTo?.username, "in_reply_to_user.username");
  if (inReplyToUserId !== null && !seenUsers.has(inReplyToUserId)) {
    seenUsers.add(inReplyToUserId);
    users.push(unhydrated(inReplyToUserId, replyName, null, createdAt));
  }
  const mentionList = entityItems(entities?.mentions, `${at}entities.mentions`);
  const mentions = new Set<string>();
  mentionList.forEach((m, i) => {
    const where = `${at}entities.mentions[${i}].`;
    const mid = idOf(m, "id", where);
    const username = s.str(m.username, `${where}username`);
    if (mid === null) return;
    mentions.add(mid);
    if (!seenUsers.has(mid)) {
      seenUsers.add(mid);
      users.push(unhydrated(mid, username, null, createdAt));
    }
  });

  const hashtags = entityItems(entities?.hashtags, `${at}entities.hashtags`);
  const cashtags = entityItems(entities?.cashtags, `${at}entities.cashtags`);
  const urlList = entityItems(entities?.urls, `${at}entities.urls`);
  checkRoom(
    text,
    { tags: hashtags.length + cashtags.length, mentions: mentionList.length, urls: urlList.length },
    `${at}entities`,
  );
  const tags = tagsOf(hashtags, cashtags, { key: "tag", symbols: `${at}entities.cashtags` }, at, s);
  const urls = new Set<string>();
  urlList.forEach((u, i) => {
    const url = s.str(u.expanded_url, () => `${at}entities.urls[${i}].expanded_url`);
    // A url entry with a media_key is the link to attached media: media, not a url.
    if (url !== null && u.media_key === undefined) urls.add(url);
  });
  const media: MediaRow[] = [];
  const mediaUrls = new Set<string>();
  const attachments = objectValue(t.attachments, "attachments");
  entityItems(attachments?.media, "attachments.media").forEach((m, i) => {
    const where = `attachments.media[${i}].`;
    const url =
      s.str(m.url, `${where}url`) ?? s.str(m.preview_image_url, `${where}preview_image_url`);
    const type = s.str(m.type, `${where}type`);
    if (url === null || mediaUrls.has(url)) return;
    mediaUrls.add(url);
    media.push({ url, type });
  });

  return {
    tweet: {
      id,
      userId,
      createdAt,
      inReplyToStatusId: referenced(refs, "replied_to"),
      inReplyToUserId,
      quotedStatusId: referenced(refs, "quoted"),
      retweetCount: countValue(metrics?.retweet_count, "public_metrics.retweet_count"),
      favoriteCount: countValue(metrics?.like_count, "public_metrics.like_count"),
      quoteCount: countValue(metrics?.quote_count, "public_metrics.quote_count"),
      withheldCopyright: flagValue(withheld?.copyright, "withheld.copyright"),
      withheldInCountries: s.countries(withheld?.country_codes, "withheld.country_codes"),
      source: s.str(t.source, "source"),
      text,
      countryCode,
      stateCode: stateCode(countryCode, placeName),
      lang: s.str(t.lang, "lang"),
      placeName,
      geo: geoWkt(pointOf(geo?.coordinates, "geo.coordinates"), box),
    },
    users,
    urls: [...urls],
    mentions: [...mentions],
    tags: [...tags],
    media,
  };
}
