import { isObj, type Obj, obj } from "./json-access.js";
import { checkPage } from "./page-budget.js";
import { type Includes, indexIncludes, mentionedUsers } from "./page-includes.js";
import { pageData } from "./shape.js";

/** Adds to `target` the fields of `from` it lacks: `{ ...from, ...target }` without a copy. */
function fillFrom(target: Obj, from: Obj): void {
  for (const key in from) if (!(key in target)) target[key] = from[key];
}

/** Mentions with their user merged in, as flatten does; the mention's own fields win. */
function mergeMentionUsers(entities: unknown, inc: Includes): void {
  for (const [mention, user] of mentionedUsers(entities, inc)) fillFrom(mention, user);
}

/**
 * One tweet of a page with what it references from the page's `includes` inlined, the way
 * twarc2 flatten writes it: `author`, `in_reply_to_user`, mentions merged with their users,
 * `attachments.media`, and the place merged into `geo`. A reference the page does not
 * include is left as it is (its fields read as NULL). Referenced tweets stay references:
 * they are not loaded. Anything that is not an object is returned unchanged (a reject).
 *
 * The tweet is changed in place, not copied: the page was parsed for this alone, and
 * copying each tweet object (spreads of objects of many shapes) cost more than mapping
 * it to rows. Keys keep their order, new ones come last, as a copy would have them.
 */
export function flattenTweet(tweet: unknown, inc: Includes): unknown {
  if (!isObj(tweet)) return tweet;
  const author = inc.usersById.get(tweet.author_id);
  if (author) tweet.author = author;
  const replyTo = inc.usersById.get(tweet.in_reply_to_user_id);
  if (replyTo) tweet.in_reply_to_user = replyTo;
  mergeMentionUsers(tweet.entities, inc);
  mergeMentionUsers(obj(tweet.note_tweet)?.entities, inc);
  const attachments = obj(tweet.attachments);
  if (attachments && Array.isArray(attachments.media_keys)) {
    const media: Obj[] = [];
    for (const key of attachments.media_keys) {
      const m = inc.media.get(key);
      if (m) media.push(m);
    }
    attachments.media = media;
  }
  const geo = obj(tweet.geo);
  const place = geo ? inc.places.get(geo.place_id) : undefined;
  if (geo && place) Object.assign(geo, place);
  return tweet;
}

/**
 * The tweets of a v2 response page, each flattened in place (see flattenTweet), in page
 * order. A page that holds too many tweets or would expand too much (checkPage) throws
 * the BadLineError that rejects the line.
 */
export function flattenPage(page: Obj): unknown[] {
  const inc = indexIncludes(page);
  const data = pageData(page);
  checkPage(data, inc);
  return data.map((tweet) => flattenTweet(tweet, inc));
}
