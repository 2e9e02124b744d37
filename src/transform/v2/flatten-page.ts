import { isObj, list, type Obj, obj } from "./json-access.js";
import { pageData } from "./shape.js";

/** A page's `includes` by the keys tweets reference them with. */
interface Includes {
  usersById: Map<unknown, Obj>;
  usersByName: Map<unknown, Obj>;
  places: Map<unknown, Obj>;
  media: Map<unknown, Obj>;
}

function byKey(items: unknown, key: string): Map<unknown, Obj> {
  const map = new Map<unknown, Obj>();
  for (const item of list(items)) if (isObj(item) && !map.has(item[key])) map.set(item[key], item);
  return map;
}

function indexIncludes(page: Obj): Includes {
  const includes = obj(page.includes);
  return {
    usersById: byKey(includes?.users, "id"),
    usersByName: byKey(includes?.users, "username"),
    places: byKey(includes?.places, "id"),
    media: byKey(includes?.media, "media_key"),
  };
}

/** Mentions with their user merged in, as flatten does; the mention's own fields stay. */
function withMentionUsers(entities: unknown, inc: Includes): unknown {
  const e = obj(entities);
  if (!e || !Array.isArray(e.mentions)) return entities;
  const mentions = e.mentions.map((m) => {
    const user = isObj(m) ? inc.usersByName.get(m.username) : undefined;
    return user && isObj(m) ? { ...user, ...m } : m;
  });
  return { ...e, mentions };
}

/**
 * One tweet of a page with what it references from the page's `includes` inlined, the way
 * twarc2 flatten writes it: `author`, `in_reply_to_user`, mentions merged with their users,
 * `attachments.media`, and the place merged into `geo`. A reference the page does not
 * include is left as it is (its fields read as NULL). Referenced tweets stay references:
 * they are not loaded. Anything that is not an object is returned unchanged (a reject).
 */
export function flattenTweet(tweet: unknown, inc: Includes): unknown {
  if (!isObj(tweet)) return tweet;
  const flat: Obj = { ...tweet };
  const author = inc.usersById.get(tweet.author_id);
  if (author) flat.author = author;
  const replyTo = inc.usersById.get(tweet.in_reply_to_user_id);
  if (replyTo) flat.in_reply_to_user = replyTo;
  if (tweet.entities !== undefined) flat.entities = withMentionUsers(tweet.entities, inc);
  const note = obj(tweet.note_tweet);
  if (note?.entities !== undefined) {
    flat.note_tweet = { ...note, entities: withMentionUsers(note.entities, inc) };
  }
  const attachments = obj(tweet.attachments);
  if (attachments && Array.isArray(attachments.media_keys)) {
    const media = attachments.media_keys.map((k) => inc.media.get(k)).filter((m) => m);
    flat.attachments = { ...attachments, media };
  }
  const geo = obj(tweet.geo);
  const place = geo ? inc.places.get(geo.place_id) : undefined;
  if (geo && place) flat.geo = { ...geo, ...place };
  return flat;
}

/** The tweets of a v2 response page, each flattened (see flattenTweet), in page order. */
export function flattenPage(page: Obj): unknown[] {
  const inc = indexIncludes(page);
  return pageData(page).map((tweet) => flattenTweet(tweet, inc));
}
