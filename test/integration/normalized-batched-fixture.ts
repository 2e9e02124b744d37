import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Small deterministic PRNG (mulberry32), so a failing fixture can be made again. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Ids above 2^53, written as bare JSON numbers with their exact `_str` twins.
const TWEET_BASE = 1350000000000000000n;
const USER_BASE = 1200000000000000000n;
const USERS = 30;
const URLS = Array.from({ length: 14 }, (_, i) => `https://example.org/page/${i}`);
const TAGS = ["covid", "Coronavirus", "coronavirus", "news", "vaccine", "NYC", "stayhome", "2021"];

const userId = (n: number) => (USER_BASE + BigInt(n) * 7919n).toString();
const idField = (key: string, id: string) => `"${key}":${id},"${key}_str":"${id}"`;

/**
 * The JSON text of tweet number k. A later `copy` of the same tweet (as a re-crawl would
 * give) has other counts, and with `urlDrift` its author another url too.
 */
function tweetJson(k: number, copy: number, urlDrift: boolean): string {
  const r = prng(k * 2654435761);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  const some = <T>(xs: readonly T[], max: number) =>
    Array.from({ length: Math.floor(r() * (max + 1)) }, () => pick(xs));
  const id = (TWEET_BASE + BigInt(k) * 104729n).toString();
  const author = Math.floor(r() * USERS);
  const day = 1 + (k % 9);
  const createdAt = `Fri Jan 0${day} ${String(k % 24).padStart(2, "0")}:00:00 +0000 2021`;
  // Some author urls occur nowhere else; they still go into urls with every new tweet.
  const ownUrl = `https://example.org/u/${author}/${urlDrift ? copy : k % 3}`;
  const authorUrl = r() < 0.4 ? ownUrl : r() < 0.6 ? pick(URLS) : null;
  // The author's counts change from tweet to tweet: which row is kept is visible.
  const user = `{${idField("id", userId(author))},"screen_name":"user${author}","name":"User ${author}","location":${r() < 0.5 ? '"Somewhere, NY"' : "null"},"url":${JSON.stringify(authorUrl)},"description":"about ${author}","protected":false,"verified":${author % 5 === 0},"followers_count":${k + copy},"friends_count":${k % 97},"listed_count":${k % 13},"favourites_count":${k * 3},"statuses_count":${k * 11 + copy},"created_at":"Mon Mar 0${1 + (author % 9)} 10:00:00 +0000 2015"}`;
  const mentioned = [...new Set(some([...Array(USERS).keys()], 3))];
  const mentions = mentioned.map(
    (m) => `{${idField("id", userId(m))},"screen_name":"user${m}","name":"Mentioned ${m}"}`,
  );
  const tags = some(TAGS, 3).map((t) => `{"text":${JSON.stringify(t)}}`);
  const symbols = r() < 0.2 ? ['{"text":"TSLA"}'] : [];
  const urls = some(URLS, 2).map((u) => `{"expanded_url":${JSON.stringify(u)}}`);
  const media = r() < 0.3 ? [`{"media_url":${JSON.stringify(pick(URLS))},"type":"photo"}`] : [];
  const entities = `{"hashtags":[${tags}],"symbols":[${symbols}],"urls":[${urls}],"user_mentions":[${mentions}]}`;
  const reply = r() < 0.3 ? Math.floor(r() * USERS) : null;
  const place =
    r() < 0.7
      ? `{"country_code":"US","full_name":"City ${k % 4}, NY","bounding_box":{"coordinates":[[[-74.1,40.6],[-73.9,40.6],[-73.9,40.9],[-74.1,40.9]]]}}`
      : "null";
  const coordinates =
    r() < 0.3 ? `{"type":"Point","coordinates":[${-74 + k / 1000},${40.7 + k / 1000}]}` : "null";
  const parts = [
    idField("id", id),
    `"created_at":"${createdAt}"`,
    `"text":"tweet ${k} #${TAGS[k % TAGS.length]}, a text with room for its tags, mentions and links"`,
    `"source":"fixture"`,
    `"lang":"${k % 3 === 0 ? "es" : "en"}"`,
    `"user":${user}`,
    `"place":${place}`,
    `"coordinates":${coordinates}`,
    `"retweet_count":${(k % 50000) + copy * 40000}`,
    `"favorite_count":${(k % 7) + copy}`,
    `"quote_count":0`,
    reply === null
      ? `"in_reply_to_user_id":null`
      : `${idField("in_reply_to_user_id", userId(reply))},"in_reply_to_screen_name":"user${reply}",${idField("in_reply_to_status_id", (TWEET_BASE + 1n).toString())}`,
  ];
  if (r() < 0.3) {
    parts.push(
      `"extended_tweet":{"full_text":"full text of ${k}, with room for its tags, mentions and links","entities":${entities}}`,
    );
    parts.push(`"entities":{"hashtags":[],"symbols":[],"urls":[],"user_mentions":[]}`);
  } else {
    parts.push(`"entities":${entities}`);
  }
  if (media.length > 0) parts.push(`"extended_entities":{"media":[${media}]}`);
  return `{${parts.join(",")}}`;
}

/**
 * Writes `files` JSON-lines archives of `tweetsPerFile` tweets each, drawn from a pool of
 * `distinctTweets` tweets: heavy overlap of tweets (duplicates within and across files,
 * a quarter of them with other counts), users (30, hydrated in one tweet and mentioned
 * or replied to in others), urls (shared between user urls, tweet urls and media) and
 * tags. Without `urlDrift` the set of rows a table gets does not depend on which copy of
 * a tweet is loaded first, so parallel loads give the row counts of sequential ones.
 */
export async function writeOverlappingArchives(
  dir: string,
  options: {
    files: number;
    tweetsPerFile: number;
    distinctTweets: number;
    seed: number;
    urlDrift?: boolean;
  },
): Promise<string[]> {
  const r = prng(options.seed);
  const paths: string[] = [];
  for (let f = 0; f < options.files; f++) {
    const lines = Array.from({ length: options.tweetsPerFile }, () => {
      const k = Math.floor(r() * options.distinctTweets);
      const copy = r() < 0.25 ? 1 + Math.floor(r() * 2) : 0;
      return tweetJson(k, copy, options.urlDrift ?? false);
    });
    const path = join(dir, `overlap-${String(f).padStart(2, "0")}.jsonl`);
    await writeFile(path, `${lines.join("\n")}\n`);
    paths.push(path);
  }
  return paths;
}
