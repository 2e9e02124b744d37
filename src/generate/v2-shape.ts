import { AsciiEscaped, type JsonValue, toJsonText } from "./json-text.js";
import { hashString } from "./prng.js";
import { cpLength, cpSlice } from "./text.js";

/**
 * The generated v1.1 tweets in API v2 shape: the same content, field by field as the
 * v2 mapping table of docs/contract/api-v2.md reads it, so a test can load both eras and
 * compare rows.
 * Differences that v2 itself imposes: `source` is the app name only, media URLs are https.
 */

type Obj = { [key: string]: JsonValue | undefined };
const o = (v: JsonValue | undefined): Obj => (v ?? {}) as Obj;
const arr = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const plain = (v: JsonValue | undefined): string =>
  v instanceof AsciiEscaped ? v.value : typeof v === "string" ? v : "";

/** A v2 tweet and the objects it references, which a page puts in `includes`. */
export interface V2Parts {
  tweet: Obj;
  /** The author's user object (the snapshot of this tweet). */
  author: Obj;
  /** Users the tweet names but does not author (reply target, mentions): id, username, name. */
  named: Obj[];
  place: Obj | null;
  media: Obj[];
  /** The quoted tweet, in v2 shape, and its author. */
  quoted: { tweet: Obj; author: Obj } | null;
  /** created_at in ms and the tweet id: which snapshot of a user is the latest. */
  ms: number;
  id: bigint;
}

const iso = (twitterDate: JsonValue | undefined): string =>
  new Date(plain(twitterDate)).toISOString();

/** `<a href="…">Twitter for iPhone</a>` → `Twitter for iPhone`: v2 has the app name only. */
const appName = (source: JsonValue | undefined): string => plain(source).replace(/<[^>]*>/g, "");

export function v2User(user: Obj): Obj {
  const withheld = user.withheld_in_countries;
  return {
    id: user.id_str,
    username: user.screen_name,
    name: user.name,
    created_at: iso(user.created_at),
    // v2 writes "" for no url; a missing description or location is left out.
    url: user.url ?? "",
    description: user.description ?? undefined,
    location: user.location ?? undefined,
    protected: user.protected,
    verified: user.verified,
    profile_image_url:
      typeof user.profile_image_url_https === "string" ? user.profile_image_url_https : undefined,
    public_metrics: {
      followers_count: user.followers_count,
      following_count: user.friends_count,
      tweet_count: user.statuses_count,
      listed_count: user.listed_count,
      like_count: user.favourites_count,
    },
    withheld: withheld ? { country_codes: withheld } : undefined,
  };
}

const span = (e: Obj) => {
  const [start, end] = arr(e.indices) as number[];
  return { start, end };
};

function v2Entities(v1: Obj, mediaLink: Obj | null): Obj {
  const list = (key: string, f: (e: Obj) => Obj) => {
    const out = arr(v1[key]).map((e) => f(o(e)));
    return out.length > 0 ? out : undefined;
  };
  const urls = arr(v1.urls).map((e) => {
    const u = o(e);
    return { ...span(u), url: u.url, expanded_url: u.expanded_url, display_url: u.display_url };
  });
  if (mediaLink) urls.push(mediaLink as never);
  return {
    hashtags: list("hashtags", (h) => ({ ...span(h), tag: h.text })),
    cashtags: list("symbols", (s) => ({ ...span(s), tag: s.text })),
    mentions: list("user_mentions", (m) => ({ ...span(m), username: m.screen_name, id: m.id_str })),
    urls: urls.length > 0 ? urls : undefined,
  };
}

const MEDIA_KEY_PREFIX: Record<string, string> = { photo: "3_", video: "7_", animated_gif: "16_" };

function v2Media(m: Obj): Obj {
  const https = plain(m.media_url).replace(/^http:/, "https:");
  const type = plain(m.type);
  return {
    media_key: `${MEDIA_KEY_PREFIX[type] ?? "3_"}${m.id_str}`,
    type,
    url: type === "photo" ? https : undefined,
    preview_image_url: type === "photo" ? undefined : https,
  };
}

/**
 * The generator jitters a place's box per tweet (v1.1 carries it in each tweet), but a page
 * includes a place once per id: each box gets an id of its own, so no tweet loses its box.
 */
function placeId(place: Obj, bbox: JsonValue[]): string {
  const box = bbox.map((n) => toJsonText(n as JsonValue)).join(",");
  return `${plain(place.id).slice(0, 8)}${hashString(box).toString(16).padStart(8, "0")}`;
}

function v2Place(place: Obj): Obj {
  const ring = arr(o(place.bounding_box).coordinates)[0] as JsonValue[][];
  const [sw, , ne] = ring as [JsonValue[], JsonValue[], JsonValue[]];
  const bbox = [sw[0], sw[1], ne[0], ne[1]] as JsonValue[];
  return {
    id: placeId(place, bbox),
    full_name: place.full_name,
    name: place.name,
    country: place.country,
    country_code: place.country_code,
    place_type: place.place_type,
    geo: { type: "Feature", bbox, properties: {} },
  };
}

/** Twitter's limit before a v2 tweet's full text moves to `note_tweet`. */
const NOTE_LIMIT = 280;

/** The v2 form of one generated v1.1 tweet (see V2Parts). */
export function v2Parts(v1: Obj): V2Parts {
  const extended = v1.extended_tweet ? o(v1.extended_tweet) : null;
  const fullText = extended ? extended.full_text : v1.text;
  const entities = o(extended ? extended.entities : v1.entities);
  const v1Media = arr(o(extended ? extended.extended_entities : v1.extended_entities).media).map(o);
  const media = v1Media.map(v2Media);
  const first = v1Media[0];
  const mediaLink = first
    ? {
        ...span(first),
        url: first.url,
        expanded_url: first.expanded_url,
        display_url: first.display_url,
        media_key: media[0]?.media_key,
      }
    : null;
  const full = v2Entities(entities, mediaLink);
  let text: JsonValue | undefined = fullText;
  let topEntities = full;
  let note: Obj | undefined;
  const fullPlain = plain(fullText);
  if (cpLength(fullPlain) > NOTE_LIMIT) {
    const cut = NOTE_LIMIT - 1;
    text = `${cpSlice(fullPlain, cut)}…`;
    const within = (list: JsonValue | undefined) => {
      const kept = arr(list).filter((e) => (o(e).end as number) <= cut);
      return kept.length > 0 ? kept : undefined;
    };
    topEntities = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, within(v)]));
    note = { text: fullText, entities: full };
  }

  const user = o(v1.user);
  const replyUserId = v1.in_reply_to_user_id_str;
  const mentions = arr(entities.user_mentions).map(o);
  const named: Obj[] = mentions.map((m) => ({
    id: m.id_str,
    username: m.screen_name,
    name: m.name,
  }));
  if (typeof replyUserId === "string") {
    const mentioned = mentions.find((m) => m.id_str === replyUserId);
    named.unshift({ id: replyUserId, username: v1.in_reply_to_screen_name, name: mentioned?.name });
  }
  const refs: Obj[] = [];
  if (v1.in_reply_to_status_id_str)
    refs.push({ type: "replied_to", id: v1.in_reply_to_status_id_str });
  if (v1.quoted_status_id_str) refs.push({ type: "quoted", id: v1.quoted_status_id_str });
  const coordinates = v1.coordinates ? o(v1.coordinates) : null;
  const place = v1.place ? o(v1.place) : null;
  const withheldCountries = v1.withheld_in_countries;
  const v2place = place ? v2Place(place) : null;
  const quoted = v1.quoted_status ? v2Parts(o(v1.quoted_status)) : null;

  const tweet: Obj = {
    id: v1.id_str,
    text,
    created_at: iso(v1.created_at),
    author_id: user.id_str,
    conversation_id: v1.id_str,
    in_reply_to_user_id: typeof replyUserId === "string" ? replyUserId : undefined,
    referenced_tweets: refs.length > 0 ? refs : undefined,
    attachments:
      media.length > 0 ? { media_keys: media.map((m) => m.media_key as JsonValue) } : undefined,
    geo:
      place || coordinates
        ? {
            place_id: v2place?.id,
            coordinates: coordinates
              ? { type: "Point", coordinates: coordinates.coordinates }
              : undefined,
          }
        : undefined,
    entities: topEntities,
    note_tweet: note,
    public_metrics: {
      retweet_count: v1.retweet_count,
      reply_count: v1.reply_count,
      like_count: v1.favorite_count,
      quote_count: v1.quote_count,
    },
    lang: v1.lang,
    source: appName(v1.source),
    possibly_sensitive: v1.possibly_sensitive,
    withheld:
      v1.withheld_copyright || withheldCountries
        ? { copyright: v1.withheld_copyright, country_codes: withheldCountries }
        : undefined,
  };
  return {
    tweet,
    author: v2User(user),
    named,
    place: v2place,
    media,
    quoted: quoted ? { tweet: quoted.tweet, author: quoted.author } : null,
    ms: Date.parse(iso(v1.created_at)),
    id: BigInt(plain(v1.id_str)),
  };
}
