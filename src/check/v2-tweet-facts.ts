import { factsOf, type TweetFacts } from "./tweet-facts.js";

/**
 * The checker's own reading of Twitter API v2 tweets (docs/contract/api-v2.md): the
 * facts the queries need, read from a page's tweets through that page's `includes`, or
 * from a flattened tweet's inlined objects. Like tweet-facts.ts it shares no code with
 * the loaders' mapping (src/transform/v2), so their bugs do not become expected answers.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObject = (v: unknown): Json => (isObject(v) ? v : {});
const text = (v: unknown): string | null =>
  typeof v === "string" ? v.replaceAll("\u0000", "") : null;
/** v2 ids are JSON strings; a number is taken as written (parseLossless kept its digits). */
const idText = (v: unknown): string | null =>
  typeof v === "string" && /^-?\d+$/.test(v)
    ? BigInt(v).toString()
    : typeof v === "number" && Number.isInteger(v)
      ? String(v)
      : null;

/** What a page's tweets may reference, by the keys they reference it with (first one wins). */
interface PageIncludes {
  user(id: string | null): Json | undefined;
  userNamed(username: unknown): Json | undefined;
  place(id: unknown): Json | undefined;
  /** null for a flattened tweet, whose `attachments.media` is already inlined. */
  media: ((key: unknown) => Json | undefined) | null;
}

function lookup(items: unknown, key: string, exact: boolean): (k: unknown) => Json | undefined {
  const map = new Map<unknown, Json>();
  for (const item of asArray(items)) {
    if (!isObject(item)) continue;
    const k = exact ? idText(item[key]) : item[key];
    if (k !== null && k !== undefined && !map.has(k)) map.set(k, item);
  }
  return (k) => (k === null || k === undefined ? undefined : map.get(k));
}

function pageIncludes(page: Json): PageIncludes {
  const inc = asObject(page.includes);
  const user = lookup(inc.users, "id", true);
  return {
    user: (id) => user(id),
    userNamed: lookup(inc.users, "username", false),
    place: lookup(inc.places, "id", false),
    media: lookup(inc.media, "media_key", false),
  };
}

/** A flattened tweet carries its references inlined: nothing to look up. */
const NO_INCLUDES: PageIncludes = {
  user: () => undefined,
  userNamed: () => undefined,
  place: () => undefined,
  media: null,
};

/** Facts of one v2 tweet, or null when it is not loadable (no id, or no author id). */
export function v2TweetFacts(tweet: unknown, inc: PageIncludes = NO_INCLUDES): TweetFacts | null {
  if (!isObject(tweet)) return null;
  const id = idText(tweet.id);
  const inlined = isObject(tweet.author) ? tweet.author : undefined;
  const authorId = idText(tweet.author_id) ?? (inlined ? idText(inlined.id) : null);
  if (id === null || authorId === null) return null;
  const author = inc.user(authorId) ?? inlined ?? {};
  const note = isObject(tweet.note_tweet) ? tweet.note_tweet : undefined;
  const entities = asObject(note ? note.entities : tweet.entities);
  const geo = asObject(tweet.geo);
  const place = { ...geo, ...inc.place(geo.place_id) };

  const tags: string[] = [];
  for (const [list, sign] of [
    [entities.hashtags, "#"],
    [entities.cashtags, "$"],
  ] as const) {
    for (const h of asArray(list)) {
      const t = isObject(h) ? text(h.tag) : null;
      if (t !== null) tags.push(`${sign}${t}`);
    }
  }
  const mentionedUserIds: string[] = [];
  for (const m of asArray(entities.mentions)) {
    if (!isObject(m)) continue;
    const mid = idText(m.id) ?? idText(inc.userNamed(m.username)?.id);
    if (mid !== null) mentionedUserIds.push(mid);
  }
  const attachments = asObject(tweet.attachments);
  const resolve = inc.media;
  const keys = attachments.media_keys;
  const media = resolve && Array.isArray(keys) ? keys.map(resolve) : asArray(attachments.media);
  const mediaUrls: string[] = [];
  for (const m of media) {
    const url = isObject(m) ? (text(m.url) ?? text(m.preview_image_url)) : null;
    if (url !== null) mediaUrls.push(url);
  }
  return factsOf({
    id,
    lang: text(tweet.lang),
    countryCode: text(place.country_code),
    createdAt: tweet.created_at,
    author: {
      id: authorId,
      screenName: text(author.username),
      statusesCount: asObject(author.public_metrics).tweet_count,
    },
    text: text(note ? note.text : tweet.text),
    tags,
    mentionedUserIds,
    mediaUrls,
  });
}

/**
 * Facts of each loadable tweet of a v2 response page (`data` an array or one object),
 * leaving out the tweets at the indexes of `rejected` (those the loaders reject).
 */
export function v2PageFacts(page: Json, rejected: ReadonlySet<number> = new Set()): TweetFacts[] {
  const inc = pageIncludes(page);
  const data = Array.isArray(page.data) ? page.data : [page.data];
  const out: TweetFacts[] = [];
  data.forEach((tweet, index) => {
    const facts = rejected.has(index) ? null : v2TweetFacts(tweet, inc);
    if (facts) out.push(facts);
  });
  return out;
}
