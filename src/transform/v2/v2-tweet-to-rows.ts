import { BadLineError } from "../bad-line.js";
import { idOf } from "../exact-json.js";
import { geoWkt } from "../geo.js";
import type { MediaRow, TweetRows, UserRow } from "../rows.js";
import { type Strings, stateCode, unhydrated } from "../tweet-to-rows.js";
import { bool, int, isObj, list, type Obj, obj } from "./json-access.js";

/**
 * Why a v2 tweet (flattened or from a page) cannot be loaded, or null when it can: the
 * same test as v1.1's (an id, and an author with an id), so every loader rejects alike.
 */
export function v2TweetError(tweet: unknown): string | null {
  if (!isObj(tweet)) return "not a tweet object: the JSON value is not an object";
  if (idOf(tweet, "id") === null || authorId(tweet) === null) {
    return "not a tweet object: it lacks an id or an author_id";
  }
  return null;
}

function authorId(t: Obj): string | null {
  const author = obj(t.author);
  return idOf(t, "author_id") ?? (author ? idOf(author, "id") : null);
}

/** The id of the first `referenced_tweets` entry of `type` (replied_to, quoted). */
function referenced(t: Obj, type: string): string | null {
  for (const ref of list(t.referenced_tweets)) {
    if (isObj(ref) && ref.type === type) return idOf(ref, "id");
  }
  return null;
}

/** A v2 place bbox [w, s, e, n] as the v1.1 bounding box ring, so one geo rule serves both. */
function placeOfBbox(bbox: unknown): Obj | null {
  if (!Array.isArray(bbox) || bbox.length < 4) return null;
  const [w, s, e, n] = bbox;
  return {
    bounding_box: {
      coordinates: [
        [
          [w, s],
          [w, n],
          [e, n],
          [e, s],
        ],
      ],
    },
  };
}

function authorRow(id: string, author: Obj | null, createdAt: string | null, s: Strings): UserRow {
  const metrics = obj(author?.public_metrics);
  const url = author ? s.str(author.url) : null;
  return {
    id,
    createdAt: author ? s.str(author.created_at) : null,
    updatedAt: createdAt,
    url: url === "" ? null : url,
    friendsCount: int(metrics?.following_count),
    listedCount: int(metrics?.listed_count),
    favouritesCount: int(metrics?.like_count),
    statusesCount: int(metrics?.tweet_count),
    protected: bool(author?.protected),
    verified: bool(author?.verified),
    screenName: author ? s.str(author.username) : null,
    name: author ? s.str(author.name) : null,
    location: author ? s.str(author.location) : null,
    description: author ? s.str(author.description) : null,
    withheldInCountries: s.strList(obj(author?.withheld)?.country_codes),
  };
}

/**
 * One flattened v2 tweet → its rows, by the v2 mapping table of docs/contract/api-v2.md.
 * A page's tweets are flattened first (flattenPage), so this one function serves both
 * shapes. Throws BadLineError when v2TweetError finds a reason.
 */
export function rowsOfV2Tweet(t: Obj, s: Strings): TweetRows {
  const reason = v2TweetError(t);
  if (reason !== null) throw new BadLineError(reason);
  const id = idOf(t, "id") as string;
  const userId = authorId(t) as string;
  const createdAt = s.str(t.created_at);
  const note = obj(t.note_tweet);
  const entities = obj(note ? note.entities : t.entities);
  const geo = obj(t.geo);
  const countryCode = s.str(geo?.country_code)?.toLowerCase() ?? null;
  const placeName = s.str(geo?.full_name);
  const inReplyToUserId = idOf(t, "in_reply_to_user_id");
  const withheld = obj(t.withheld);
  const metrics = obj(t.public_metrics);

  const users = [authorRow(userId, obj(t.author), createdAt, s)];
  const seenUsers = new Set([userId]);
  if (inReplyToUserId !== null && !seenUsers.has(inReplyToUserId)) {
    seenUsers.add(inReplyToUserId);
    users.push(
      unhydrated(inReplyToUserId, s.str(obj(t.in_reply_to_user)?.username), null, createdAt),
    );
  }
  const mentions = new Set<string>();
  for (const m of list(entities?.mentions)) {
    const mid = isObj(m) ? idOf(m, "id") : null;
    if (mid === null) continue;
    mentions.add(mid);
    if (!seenUsers.has(mid)) {
      seenUsers.add(mid);
      users.push(unhydrated(mid, s.str((m as Obj).username), null, createdAt));
    }
  }

  const tags = new Set<string>();
  for (const h of list(entities?.hashtags)) {
    const tag = isObj(h) ? s.str(h.tag) : null;
    if (tag !== null) tags.add(`#${tag}`);
  }
  for (const c of list(entities?.cashtags)) {
    const tag = isObj(c) ? s.str(c.tag) : null;
    if (tag !== null) tags.add(`$${tag}`);
  }
  const urls = new Set<string>();
  for (const u of list(entities?.urls)) {
    // A url entry with a media_key is the link to attached media: media, not a url.
    const url = isObj(u) && u.media_key === undefined ? s.str(u.expanded_url) : null;
    if (url !== null) urls.add(url);
  }
  const media: MediaRow[] = [];
  const mediaUrls = new Set<string>();
  for (const m of list(obj(t.attachments)?.media)) {
    if (!isObj(m)) continue;
    const url = s.str(m.url) ?? s.str(m.preview_image_url);
    if (url === null || mediaUrls.has(url)) continue;
    mediaUrls.add(url);
    media.push({ url, type: s.str(m.type) });
  }

  return {
    tweet: {
      id,
      userId,
      createdAt,
      inReplyToStatusId: referenced(t, "replied_to"),
      inReplyToUserId,
      quotedStatusId: referenced(t, "quoted"),
      retweetCount: int(metrics?.retweet_count),
      favoriteCount: int(metrics?.like_count),
      quoteCount: int(metrics?.quote_count),
      withheldCopyright: bool(withheld?.copyright),
      withheldInCountries: s.strList(withheld?.country_codes),
      source: s.str(t.source),
      text: s.str(note ? note.text : t.text),
      countryCode,
      stateCode: stateCode(countryCode, placeName),
      lang: s.str(t.lang),
      placeName,
      geo: geoWkt(geo?.coordinates, placeOfBbox(obj(geo?.geo)?.bbox)),
    },
    users,
    urls: [...urls],
    mentions: [...mentions],
    tags: [...tags],
    media,
  };
}
