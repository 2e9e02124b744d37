import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { refreshMaterializedViews } from "../../src/db/schema.js";
import { normalizedStagedBatchLoader } from "../../src/load/normalized-staged-batch/normalized-staged-batch-loader.js";
import { loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";
import { writeOverlappingArchives } from "./normalized-batched-fixture.js";

const TABLES = [
  "urls",
  "users",
  "tweets",
  "tweet_urls",
  "tweet_mentions",
  "tweet_tags",
  "tweet_media",
  "tweet_tags_total",
  "tweet_tags_cooccurrence",
] as const;

// Every table in a form that does not depend on the url ids (a sequence: its values differ
// between loaders), each row as JSON text, in a total order.
const CONTENTS: Record<(typeof TABLES)[number], string> = {
  urls: "SELECT url FROM urls ORDER BY url",
  users: `SELECT (to_jsonb(u) - 'id_urls') || jsonb_build_object('url', urls.url)
            FROM users u LEFT JOIN urls USING (id_urls) ORDER BY u.id_users`,
  // load_id says which load a row came from (the runner sets it; these sessions run bare).
  tweets: "SELECT to_jsonb(t) - 'load_id' FROM tweets t ORDER BY id_tweets",
  tweet_urls: `SELECT id_tweets, url FROM tweet_urls JOIN urls USING (id_urls)
                ORDER BY id_tweets, url`,
  tweet_mentions: "SELECT id_tweets, id_users FROM tweet_mentions ORDER BY 1, 2",
  tweet_tags: "SELECT id_tweets, tag FROM tweet_tags ORDER BY 1, 2",
  tweet_media: `SELECT id_tweets, url, type FROM tweet_media JOIN urls USING (id_urls)
                 ORDER BY id_tweets, url`,
  tweet_tags_total: "SELECT * FROM tweet_tags_total ORDER BY row",
  tweet_tags_cooccurrence: "SELECT * FROM tweet_tags_cooccurrence ORDER BY tag1, tag2",
};

async function contentsOf(url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (client) => {
    const out: Record<string, string[]> = {};
    for (const table of TABLES) {
      const { rows } = await client.query({ text: CONTENTS[table], rowMode: "array" });
      out[table] = rows.map((row) => JSON.stringify(row));
    }
    return out;
  });
}

const countsOf = (contents: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(contents).map(([table, rows]) => [table, rows.length]));

/** Deadlocks the server has detected in the database (all sessions, this one excluded). */
async function serverDeadlocks(url: string): Promise<number> {
  return withClient(url, async (client) => {
    await client.query("SELECT pg_stat_force_next_flush()");
    const { rows } = await client.query<{ deadlocks: string }>(
      "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(rows[0]?.deadlocks);
  });
}

/** The reference: the per-tweet loader, one file after another on one connection. */
async function loadPerTweet(url: string, files: readonly string[]) {
  const result = await runLoad({
    files,
    dbs: ["normalized"],
    targets: { normalized: url, normalized_batch: "", denormalized: "" },
    jobs: 1,
    batchSize: 1000,
  });
  expect(result.totals.failed).toBe(0);
}

// What must not depend on the order in which parallel loads commit: which copy of a
// repeated tweet, or which row of a user, comes first may; which keys exist may not.
const STABLE = ["urls", "tweet_urls", "tweet_mentions", "tweet_tags", "tweet_media"];
const KEYS = {
  users: "SELECT id_users FROM users ORDER BY 1",
  tweets: "SELECT id_tweets FROM tweets ORDER BY 1",
};

async function keysOf(url: string) {
  return withClient(url, async (client) => {
    const out: Record<string, unknown[]> = {};
    for (const [table, sql] of Object.entries(KEYS)) {
      out[table] = (await client.query({ text: sql, rowMode: "array" })).rows;
    }
    return out;
  });
}

/** The batched loader on one connection, files in order, as `load --jobs 1` runs it. */
async function loadBatchedSequentially(url: string, files: readonly string[], batchSize: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const session = await normalizedStagedBatchLoader.open(client, { batchSize });
    let retries = 0;
    for (const file of files)
      retries += ((await session.loadFile(file)) as { retries: number }).retries;
    await refreshMaterializedViews(client);
    return retries;
  } finally {
    await client.end();
  }
}

describe("normalized batched loader", () => {
  let dir: string;
  let files: string[];
  let reference: FreshDatabase;
  let expected: Record<string, string[]>;
  const databases: FreshDatabase[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tweetload-batched-"));
    files = await writeOverlappingArchives(dir, {
      files: 8,
      tweetsPerFile: 60,
      distinctTweets: 220,
      seed: 7,
      urlDrift: true,
    });
    reference = await freshDatabase("normalized");
    databases.push(reference);
    await loadPerTweet(reference.url, files);
    expected = await contentsOf(reference.url);
  });

  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("fixture overlaps heavily: duplicate tweets, shared users and urls", () => {
    const counts = countsOf(expected);
    expect(counts.tweets).toBeLessThan(8 * 60);
    expect(counts.tweets).toBeGreaterThan(150);
    expect(counts.users).toBe(30);
    expect(counts.urls).toBeGreaterThan(14 + 30);
    expect(counts.tweet_media).toBeGreaterThan(0);
  });

  it("in parallel on 8 workers in batches of 7: no deadlock, no retry, the sequential rows", async () => {
    // Files without url drift: their rows do not depend on which copy loads first.
    const stressDir = join(dir, "stress");
    await mkdir(stressDir);
    const stressFiles = await writeOverlappingArchives(stressDir, {
      files: 8,
      tweetsPerFile: 80,
      distinctTweets: 150,
      seed: 11,
    });
    const sequential = await freshDatabase("normalized");
    const parallel = await freshDatabase("normalized");
    databases.push(sequential, parallel);
    await loadPerTweet(sequential.url, stressFiles);
    const deadlocksBefore = await serverDeadlocks(parallel.url);

    const result = await runLoad({
      files: stressFiles,
      dbs: ["normalized"],
      targets: { normalized: parallel.url, normalized_batch: "", denormalized: "" },
      jobs: 8,
      batchSize: 7,
      loaders: loadersFor(true),
    });

    expect(result.files.map((f) => [f.status, f.error])).toEqual(
      stressFiles.map(() => ["loaded", undefined]),
    );
    const retries = result.files.map((f) => f.retries);
    console.log(`[normalized-batched stress] retries per file: ${retries.join(" ")}`);
    expect(retries).toEqual(stressFiles.map(() => 0));
    expect(await serverDeadlocks(parallel.url)).toBe(deadlocksBefore);
    const want = await contentsOf(sequential.url);
    const got = await contentsOf(parallel.url);
    expect(countsOf(got)).toEqual(countsOf(want));
    for (const table of STABLE) expect(got[table]).toEqual(want[table]);
    expect(await keysOf(parallel.url)).toEqual(await keysOf(sequential.url));
  });

  it.each([1, 7, 1000])(
    "loaded sequentially in batches of %i, every table equals the per-tweet loader's",
    async (batchSize) => {
      const db = await freshDatabase("normalized");
      databases.push(db);
      const retries = await loadBatchedSequentially(db.url, files, batchSize);
      expect(retries).toBe(0);
      expect(await contentsOf(db.url)).toEqual(expected);
    },
  );
});
