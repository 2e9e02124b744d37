import { BadLineError } from "../../errors.js";
import { MAX_PAGE_INLINED_CHARS, MAX_PAGE_TWEETS } from "../tweet-limits.js";
import { isObj, list, type Obj, obj } from "./json-access.js";
import { type Includes, mentionedUsers } from "./page-includes.js";

/** The objects of `includes` that flatten inlines into `tweet`, once per reference. */
function* references(tweet: Obj, inc: Includes): Generator<Obj | undefined> {
  yield inc.usersById.get(tweet.author_id);
  yield inc.usersById.get(tweet.in_reply_to_user_id);
  for (const [, user] of mentionedUsers(tweet.entities, inc)) yield user;
  for (const [, user] of mentionedUsers(obj(tweet.note_tweet)?.entities, inc)) yield user;
  for (const key of list(obj(tweet.attachments)?.media_keys)) yield inc.media.get(key);
  yield inc.places.get(obj(tweet.geo)?.place_id);
}

/**
 * Refuses, before anything is copied, a page whose tweets would be too many, or too big
 * with what they reference inlined (docs/line-rules.md, "What a tweet can hold"): each
 * reference counts the JSON size of the object it inlines, so the work and the rows a page
 * makes grow with its size, never with its size squared. Throws the line's BadLineError.
 */
export function checkPage(data: readonly unknown[], inc: Includes): void {
  if (data.length > MAX_PAGE_TWEETS) {
    throw new BadLineError(
      `data holds ${data.length} tweets, more than the ${MAX_PAGE_TWEETS} a v2 page may hold`,
    );
  }
  const sizes = new Map<Obj, number>();
  let total = 0;
  for (const tweet of data) {
    if (!isObj(tweet)) continue;
    for (const o of references(tweet, inc)) {
      if (o === undefined) continue;
      let size = sizes.get(o);
      if (size === undefined) {
        size = JSON.stringify(o).length;
        sizes.set(o, size);
      }
      total += size;
      if (total > MAX_PAGE_INLINED_CHARS) {
        throw new BadLineError(
          `the page's tweets with the users, places and media they reference inlined would take more than ${MAX_PAGE_INLINED_CHARS / 1024 / 1024} Mi characters of JSON, the most a v2 page may expand to`,
        );
      }
    }
  }
}
