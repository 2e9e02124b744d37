import { type JsonValue, toJsonText } from "./json-text.js";
import type { GeneratedTweet } from "./tweet.js";
import { type V2Parts, v2Parts } from "./v2-shape.js";

/** The shapes `generate --format` writes: v1.1 lines, v2 response pages, flattened v2 tweets. */
export type ArchiveFormat = "v1" | "v2-pages" | "v2-flat";
export const ARCHIVE_FORMATS: readonly ArchiveFormat[] = ["v1", "v2-pages", "v2-flat"];

/** Tweets per v2 page: the search endpoints' usual max_results. */
export const PAGE_TWEETS = 100;

type Obj = { [key: string]: JsonValue | undefined };

/** Each of `parts`' mentions with its named user merged in, as twarc2 flatten does. */
function mentionsWithUsers(entities: JsonValue | undefined, parts: V2Parts): JsonValue | undefined {
  const e = entities as Obj | undefined;
  if (!e?.mentions) return entities;
  const mentions = (e.mentions as Obj[]).map((m) => ({
    ...parts.named.find((u) => u.id === m.id),
    ...m,
  }));
  return { ...e, mentions };
}

/** One tweet as twarc2 flatten writes it: everything it references inlined. */
export function flatTweetLine({ value, ascii }: GeneratedTweet): string {
  const parts = v2Parts(value as Obj);
  const { tweet } = parts;
  const note = tweet.note_tweet as Obj | undefined;
  const replyTo = parts.named.find((u) => u.id === tweet.in_reply_to_user_id);
  const flat: Obj = {
    ...tweet,
    author: parts.author,
    in_reply_to_user: replyTo,
    entities: mentionsWithUsers(tweet.entities, parts),
    note_tweet: note ? { ...note, entities: mentionsWithUsers(note.entities, parts) } : undefined,
    attachments: tweet.attachments
      ? { ...(tweet.attachments as Obj), media: parts.media }
      : undefined,
    geo: tweet.geo && parts.place ? { ...(tweet.geo as Obj), ...parts.place } : tweet.geo,
  };
  return `${toJsonText(flat, ascii)}\n`;
}

const laterThan = (a: V2Parts, b: V2Parts) => a.ms > b.ms || (a.ms === b.ms && a.id > b.id);

/**
 * One response page of `tweets` with its `includes`. As the API does, a user appears once
 * per page: an author as seen in their latest tweet of the page (the snapshot the users
 * rule keeps), else as the author of a quoted tweet, else as named (id, username, name).
 */
export function pageLine(tweets: readonly GeneratedTweet[]): string {
  const all = tweets.map((t) => ({ parts: v2Parts(t.value as Obj), ascii: t.ascii }));
  const users = new Map<JsonValue | undefined, { rank: number; user: Obj; from?: V2Parts }>();
  const offer = (user: Obj, rank: number, from?: V2Parts) => {
    const had = users.get(user.id);
    const better =
      !had || rank > had.rank || (rank === 2 && had.from && from && laterThan(from, had.from));
    if (better) users.set(user.id, { rank, user, from });
  };
  const places = new Map<JsonValue | undefined, Obj>();
  const media: Obj[] = [];
  const quoted: Obj[] = [];
  for (const { parts } of all) {
    for (const u of parts.named) offer(u, 0);
    if (parts.quoted) {
      offer(parts.quoted.author, 1);
      quoted.push(parts.quoted.tweet);
    }
    offer(parts.author, 2, parts);
    if (parts.place) places.set(parts.place.id, parts.place);
    media.push(...parts.media);
  }
  const asciiOf = new Map(all.map(({ parts, ascii }) => [parts.author.id, ascii]));
  const json = (v: Obj) => toJsonText(v, asciiOf.get(v.id) ?? false);
  const list = (items: Obj[]) => `[${items.map(json).join(",")}]`;
  const data = all.map(({ parts, ascii }) => toJsonText(parts.tweet, ascii)).join(",");
  const includes = [
    `"users":${list([...users.values()].map((u) => u.user))}`,
    `"places":${list([...places.values()])}`,
    media.length > 0 ? `"media":${list(media)}` : null,
    quoted.length > 0 ? `"tweets":${list(quoted)}` : null,
  ].filter((p) => p !== null);
  const meta = `{"result_count":${tweets.length}}`;
  return `{"data":[${data}],"includes":{${includes.join(",")}},"meta":${meta}}\n`;
}
