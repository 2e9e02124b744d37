import type { GeoMode } from "../../transform/geo.js";
import type { TweetRows, UserRow } from "../../transform/rows.js";
import { tweetColumns } from "../../transform/table-columns.js";
import type { PgClient } from "../loader.js";
import { hashInt8, urlId } from "./citus-hash.js";

/** The lowest hash of each shard of `tweets` (and of every table co-located with it), ascending. */
export async function readShardMins(client: PgClient): Promise<number[]> {
  const { rows } = await client.query<{ min: number }>(
    `SELECT shardminvalue::int AS min FROM pg_dist_shard
      WHERE logicalrelid = 'tweets'::regclass ORDER BY 1`,
  );
  if (rows.length === 0)
    throw new Error("tweets has no shards (pg_dist_shard): run `tweetload db reset --citus` again");
  return rows.map((r) => r.min);
}

/** The index of the shard group that holds distribution key `key`. */
export function shardIndex(mins: number[], key: bigint): number {
  const h = hashInt8(key);
  let i = mins.length - 1;
  while (i > 0 && (mins[i] as number) > h) i--;
  return i;
}

interface Group {
  key: bigint;
  tweet: boolean;
  author: boolean;
  others: UserRow[];
  urls: Map<bigint, string>;
}

const authorValues = (a: UserRow, urlIdOf: bigint | null): unknown[] => [
  a.createdAt,
  urlIdOf === null ? null : String(urlIdOf),
  a.friendsCount,
  a.listedCount,
  a.favouritesCount,
  a.statusesCount,
  a.protected,
  a.verified,
  a.screenName,
  a.name,
  a.location,
  a.description,
  a.withheldInCountries,
];

/**
 * The arguments of one tweetload_load_group call per shard group a tweet writes to
 * (load-tweet-citus.sql), the tweet's own group last: its users and urls are then
 * committed before the tweet, so a tweet in the database always has them, and a re-run
 * after a failure between the calls writes them again (every write is idempotent).
 */
export function groupCalls(rows: TweetRows, geoMode: GeoMode, mins: number[]): unknown[][] {
  const groups = new Map<number, Group>();
  const groupOf = (key: bigint): Group => {
    const i = shardIndex(mins, key);
    let g = groups.get(i);
    if (!g) {
      g = { key, tweet: false, author: false, others: [], urls: new Map() };
      groups.set(i, g);
    }
    return g;
  };
  const t = rows.tweet;
  const tweetGroup = groupOf(BigInt(t.id));
  tweetGroup.tweet = true;
  const [author, ...others] = rows.users;
  if (!author) throw new Error("a tweet without its author row");
  groupOf(BigInt(author.id)).author = true;
  for (const u of others) groupOf(BigInt(u.id)).others.push(u);
  const ids = new Map<string, bigint>();
  const idOf = (url: string): bigint => {
    let id = ids.get(url);
    if (id === undefined) {
      id = urlId(url);
      ids.set(url, id);
    }
    return id;
  };
  for (const url of [...rows.urls, ...rows.media.map((m) => m.url), author.url]) {
    if (url !== null) groupOf(idOf(url)).urls.set(idOf(url), url);
  }
  const tweetCols = tweetColumns(t, geoMode);
  const authorUrl = author.url === null ? null : idOf(author.url);
  const order = [...groups.values()].filter((g) => g !== tweetGroup);
  order.push(tweetGroup);
  return order.map((g) => {
    const urls = [...g.urls].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return [
      String(g.key),
      g.tweet,
      ...(g.tweet ? tweetCols : tweetCols.map((v, i) => (i <= 2 ? v : null))),
      g.author,
      ...(g.author ? authorValues(author, authorUrl) : authorValues(author, null).map(() => null)),
      g.others.map((u) => u.id),
      g.others.map((u) => u.screenName),
      g.others.map((u) => u.name),
      urls.map(([id]) => String(id)),
      urls.map(([, url]) => url),
      g.tweet ? rows.urls.map((u) => String(idOf(u))) : [],
      g.tweet ? rows.mentions : [],
      g.tweet ? rows.tags : [],
      g.tweet ? rows.media.map((m) => String(idOf(m.url))) : [],
      g.tweet ? rows.media.map((m) => m.type) : [],
    ];
  });
}
