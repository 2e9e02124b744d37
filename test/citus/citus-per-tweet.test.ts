import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLineBatches } from "../../src/input/read-lines.js";
import { groupCalls, readShardMins, shardIndex } from "../../src/load/normalized/shard-groups.js";
import { newTally, tweetsOfLines } from "../../src/load/rows-of-lines.js";
import { projectPath } from "../../src/paths.js";
import type { TweetRows } from "../../src/transform/rows.js";
import { citusTargets, citusUrl } from "./citus-cluster.js";

const run = promisify(execFile);
const cli = projectPath("bin", "tweetload.js");

async function rowsOf(file: string): Promise<TweetRows[]> {
  const all: TweetRows[] = [];
  for await (const batch of readLineBatches(file, { byteStrings: true })) {
    for (const { rows } of tweetsOfLines(batch, {}, newTally())) all.push(rows);
  }
  return all;
}

/** What the rows of these tweets come to, counted here without the loader's SQL. */
function expectedCounts(tweets: TweetRows[]) {
  const ids = new Set(tweets.map((t) => t.tweet.id));
  const first = tweets.filter((t, i) => tweets.findIndex((u) => u.tweet.id === t.tweet.id) === i);
  const urls = new Set<string>();
  const users = new Set<string>();
  for (const t of first) {
    for (const u of [...t.urls, ...t.media.map((m) => m.url)]) urls.add(u);
    for (const u of t.users) {
      users.add(u.id);
      if (u.url !== null && u === t.users[0]) urls.add(u.url);
    }
  }
  const sum = (f: (t: TweetRows) => number) => first.reduce((n, t) => n + f(t), 0);
  return {
    tweets: ids.size,
    users: users.size,
    urls: urls.size,
    tweet_urls: sum((t) => t.urls.length),
    tweet_mentions: sum((t) => t.mentions.length),
    tweet_tags: sum((t) => t.tags.length),
    tweet_media: sum((t) => t.media.length),
  };
}

describe.skipIf(!citusUrl)("per-tweet loader on Citus: one call per shard group", () => {
  let cluster: Awaited<ReturnType<typeof citusTargets>>;
  let dir: string;
  let archive: string;
  let url: string;
  const load = (extra: string[] = []) =>
    run("node", [cli, "load", "--db", "normalized", "--json", ...extra, archive], {
      env: { ...process.env, TWEETLOAD_NORMALIZED_URL: url },
    });
  const counts = () =>
    withClient(url, async (c) => {
      const out: Record<string, number> = {};
      for (const t of [
        "tweets",
        "users",
        "urls",
        "tweet_urls",
        "tweet_mentions",
        "tweet_tags",
        "tweet_media",
      ]) {
        out[t] = Number(
          (await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]?.n,
        );
      }
      return out;
    });

  beforeAll(async () => {
    cluster = await citusTargets(citusUrl as string);
    url = cluster.targets.normalized;
    dir = await mkdtemp(join(tmpdir(), "tweetload-citus-pertweet-"));
    [archive] = (await generateArchives({
      outDir: dir,
      files: 1,
      tweetsPerFile: 400,
      seed: 19,
    })) as [string];
    // Three shards: hash ranges that are not halves, groups that are not one per worker.
    await run(
      "node",
      [cli, "db", "reset", "--yes", "--db", "normalized", "--citus", "--shards", "3"],
      {
        env: { ...process.env, TWEETLOAD_NORMALIZED_URL: url },
      },
    );
  });
  afterAll(async () => {
    await cluster?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the client puts every key in the shard Citus itself names for it", async () => {
    const keys = Array.from({ length: 300 }, (_, i) =>
      BigInt.asIntN(64, BigInt(i) * 0x9e3779b97f4a7c15n),
    );
    await withClient(url, async (c) => {
      const mins = await readShardMins(c);
      expect(mins).toHaveLength(3);
      const { rows } = await c.query<{ i: number }>(
        `SELECT (SELECT count(*)::int FROM pg_dist_shard s
                  WHERE s.logicalrelid = 'tweets'::regclass
                    AND s.shardminvalue::int < (SELECT shardminvalue::int FROM pg_dist_shard
                                                 WHERE shardid = get_shard_id_for_distribution_column('tweets', k))) AS i
           FROM unnest($1::bigint[]) WITH ORDINALITY AS x (k, o) ORDER BY o`,
        [keys.map(String)],
      );
      expect(keys.map((k) => shardIndex(mins, k))).toEqual(rows.map((r) => r.i));
    });
  });

  it("tweets whose users and urls sit in other shard groups load whole, and a second load changes nothing", async () => {
    const tweets = await rowsOf(archive);
    const mins = await withClient(url, readShardMins);
    // The file exercises the split: tweets written by more than one call.
    expect(tweets.filter((t) => groupCalls(t, "text", mins).length > 1).length).toBeGreaterThan(
      100,
    );
    const first = JSON.parse((await load()).stdout) as { totals: { failed: number } };
    expect(first.totals.failed).toBe(0);
    const loaded = await counts();
    expect(loaded).toEqual(expectedCounts(tweets));
    await load(["--force"]);
    expect(await counts()).toEqual(loaded);
  });

  it("a group call inside a transaction block (which Citus does not hand to a worker) fails instead of writing on the coordinator", async () => {
    await withClient(url, async (c) => {
      await c.query("BEGIN");
      const args = Array.from({ length: 44 }, (_, i) => `$${i + 1}`).join(",");
      const values = [
        1,
        false,
        1,
        1,
        null,
        ...Array(15).fill(null),
        false,
        ...Array(13).fill(null),
      ];
      values.push([], [], [], [], [], [], [], [], [], []);
      const error = await c.query(`SELECT tweetload_load_group(${args})`, values).then(
        () => undefined,
        (e: Error) => e,
      );
      await c.query("ROLLBACK");
      expect(error?.message).toMatch(/does not exist/);
    });
  });
});
