import { writeFile } from "node:fs/promises";
import { join } from "node:path";

/** mulberry32: a failing fixture can be made again from its seed. */
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

/**
 * The user row the snapshot rule (docs/contract/tweet-to-rows.md) must keep, worked out from
 * the fixture's own model.
 */
export interface ExpectedUser {
  id: string;
  screenName: string | null;
  name: string | null;
  statusesCount: number | null;
  hydrated: boolean;
  snapshotTweetId: string;
}

// Ids above 2^53, written as bare JSON numbers with exact `_str` twins.
const TWEET_BASE = 1350000000000000000n;
const USER_BASE = 1200000000000000000n;
/** Users 0…24 write tweets; 25…39 are only replied to or mentioned (unhydrated only). */
const USERS = 40;
const AUTHORS = 25;
const URLS = ["https://example.org/a", "https://example.org/b", null, null];

const userId = (n: number) => (USER_BASE + BigInt(n) * 7919n).toString();
const idField = (key: string, id: string) => `"${key}":${id},"${key}_str":"${id}"`;

interface Sighting extends ExpectedUser {
  /** Seconds, for the rule's time; position orders the sightings inside one tweet. */
  time: number;
  position: number;
}

/**
 * Writes `files` JSON-lines archives of `tweets` distinct tweets, scattered over the files
 * out of time order, an eighth of them repeated (the same line) in another file. Tweet
 * times fall on a few seconds only, so many tweets of one user share their created_at and
 * the tweet id must break the tie. Each tweet shows its author with other counts and
 * names, replies to and mentions other users (sometimes its author), so the snapshot a
 * user row keeps is visible. Returns the paths and the rows the snapshot rule keeps.
 */
export async function writeUserArchives(
  dir: string,
  options: { files: number; tweets: number; seed: number },
): Promise<{ paths: string[]; expected: ExpectedUser[] }> {
  const r = prng(options.seed);
  const pick = (n: number) => Math.floor(r() * n);
  const lines: string[][] = Array.from({ length: options.files }, () => []);
  const best = new Map<string, Sighting>();
  const see = (s: Sighting) => {
    const held = best.get(s.id);
    const wins =
      !held ||
      (s.hydrated !== held.hydrated
        ? s.hydrated
        : s.time !== held.time
          ? s.time > held.time
          : s.snapshotTweetId !== held.snapshotTweetId
            ? BigInt(s.snapshotTweetId) > BigInt(held.snapshotTweetId)
            : s.position < held.position);
    if (wins) best.set(s.id, s);
  };

  for (let k = 0; k < options.tweets; k++) {
    // Ids in a shuffled order relative to time: a greater id is not a later tweet.
    const id = (TWEET_BASE + BigInt((k * 7919) % 10007) * 104729n).toString();
    const time = pick(4) * 3600 + pick(3); // 12 distinct seconds
    const hh = String(Math.floor(time / 3600)).padStart(2, "0");
    const ss = String(time % 60).padStart(2, "0");
    const createdAt = `Sat Jan 02 ${hh}:00:${ss} +0000 2021`;
    const a = pick(AUTHORS);
    const statuses = 1000 + k;
    const url = URLS[pick(URLS.length)] ?? null;
    const user =
      `{${idField("id", userId(a))},"screen_name":"u${a}_${k}","name":"User ${a} in ${k}",` +
      `"url":${JSON.stringify(url)},"description":"d${k}","location":"L${k % 5}",` +
      `"protected":false,"verified":${k % 2 === 0},"friends_count":${k},"listed_count":${k % 7},` +
      `"favourites_count":${k * 2},"statuses_count":${statuses},` +
      `"withheld_in_countries":${k % 9 === 0 ? '["DE"]' : "[]"},` +
      `"created_at":"Mon Mar 0${1 + (a % 9)} 10:00:00 +0000 2015"}`;
    see({
      id: userId(a),
      screenName: `u${a}_${k}`,
      name: `User ${a} in ${k}`,
      statusesCount: statuses,
      hydrated: true,
      snapshotTweetId: id,
      time,
      position: 0,
    });
    const parts = [
      idField("id", id),
      `"created_at":"${createdAt}"`,
      `"text":"t${k}: a text with room for its mentions"`,
    ];
    parts.push(`"user":${user}`);
    const named = new Set([a]);
    if (r() < 0.4) {
      const to = pick(USERS);
      parts.push(
        `${idField("in_reply_to_user_id", userId(to))},"in_reply_to_screen_name":"r${to}_${k}"`,
      );
      if (!named.has(to)) {
        named.add(to);
        const s = { screenName: `r${to}_${k}`, name: null, statusesCount: null };
        see({ id: userId(to), ...s, hydrated: false, snapshotTweetId: id, time, position: 1 });
      }
    }
    const mentions: string[] = [];
    for (let m = pick(4); m > 0; m--) {
      const position = 2 + mentions.length;
      const who = r() < 0.1 ? a : pick(USERS);
      mentions.push(
        `{${idField("id", userId(who))},"screen_name":"m${who}_${k}","name":"Mentioned ${who} in ${k}"}`,
      );
      if (named.has(who)) continue;
      named.add(who);
      const s = {
        screenName: `m${who}_${k}`,
        name: `Mentioned ${who} in ${k}`,
        statusesCount: null,
      };
      see({ id: userId(who), ...s, hydrated: false, snapshotTweetId: id, time, position });
    }
    parts.push(`"entities":{"hashtags":[],"symbols":[],"urls":[],"user_mentions":[${mentions}]}`);
    const line = `{${parts.join(",")}}`;
    const file = pick(options.files);
    (lines[file] as string[]).push(line);
    if (r() < 0.125)
      (lines[(file + 1 + pick(options.files - 1)) % options.files] as string[]).push(line);
  }

  const paths: string[] = [];
  for (const [i, fileLines] of lines.entries()) {
    const path = join(dir, `users-${String(i).padStart(2, "0")}.jsonl`);
    await writeFile(path, `${fileLines.join("\n")}\n`);
    paths.push(path);
  }
  const expected = [...best.values()]
    .map(({ time: _t, position: _p, ...row }) => row)
    .sort((x, y) => (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
  return { paths, expected };
}
