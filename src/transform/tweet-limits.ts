import { BadLineError } from "../errors.js";

/**
 * What one tweet may hold (docs/line-rules.md, "What a tweet can hold"): every list
 * tweetload reads is bounded, so no line costs more than a few hundred rows in any table.
 * A real tweet holds far fewer: a 280-character text has room for 93 tags at most, a
 * tweet has at most 4 media, and 249 country codes exist.
 */
export const MAX_ITEMS = 500;

/**
 * Tags (hashtags and symbols together) a tweet may hold: the co-occurrence views pair
 * every tag of a tweet with every other, so a tweet costs the square of its tags (250
 * tags, 62,500 pairs: a fifth of a second in the views' refresh on a loaded host; 500
 * tags took 0.85 s).
 */
export const MAX_TAGS = 250;

/** Tweets a v2 page may hold: the API returns at most 500 per page. */
export const MAX_PAGE_TWEETS = 1000;

/**
 * Characters of JSON a v2 page's tweets may take with what they reference inlined (the
 * author, the users they mention, the place, the media), counting each reference: a user
 * named by every tweet of a page is copied into every stored row (and its fields into
 * every row of the normalized users), so a small page could otherwise expand without
 * bound. As much as the longest line (16 MiB): a page then costs no more than a line
 * may, where 60 MB (a 60 KB user named by 1,000 tweets) took 2-3 s; a page of 500 real
 * tweets inlines a few MB.
 */
export const MAX_PAGE_INLINED_CHARS = 16 * 1024 * 1024;

/** `list` (null is empty) when it holds at most MAX_ITEMS items; otherwise the line's reject. */
export function capped(list: unknown[] | null, where: string): unknown[] {
  if (list === null) return [];
  if (list.length > MAX_ITEMS) {
    throw new BadLineError(
      `${where} holds ${list.length} items, more than the ${MAX_ITEMS} a tweet may hold`,
    );
  }
  return list;
}

/**
 * Tags, mentions and urls are parts of the text, each two characters at least (`#a`,
 * `@b`, a link): a text of n characters (UTF-16 code units) has room for n/2 of them, and
 * a tweet holds MAX_TAGS tags at most (hashtags and symbols together).
 */
export function checkRoom(
  text: string | null,
  counts: { tags: number; mentions: number; urls: number },
  where: string,
): void {
  if (counts.tags > MAX_TAGS) {
    throw new BadLineError(
      `${where} holds ${counts.tags} tags (hashtags and symbols), more than the ${MAX_TAGS} a tweet may hold`,
    );
  }
  const inText = counts.tags + counts.mentions + counts.urls;
  const length = text?.length ?? 0;
  const room = Math.ceil(length / 2);
  if (inText > room) {
    throw new BadLineError(
      `${where} holds ${inText} tags, mentions and urls, more than a text of ${length} characters has room for (${room}, two characters each at least)`,
    );
  }
}
