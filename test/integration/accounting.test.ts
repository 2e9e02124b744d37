import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { runChecks } from "../../src/check/run-checks.js";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind, type Targets } from "../../src/db/kinds.js";
import { loadersFor } from "../../src/load/registry.js";
import { startWorkerPool } from "../../src/run/pool.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import type { FileReport } from "../../src/run/types.js";
import { startCli, urlFlags, waitFor, writingTransaction } from "./fault-helpers.js";
import {
  FOUR_LOADERS,
  fourDatabases,
  type LoaderCase,
  type LoaderName,
  loadWith,
  rejectsDirOf,
  slug,
  tweetTable,
} from "./four-loaders.js";
import { adminUrl } from "./helpers/database.js";

const EXITING_WORKER = join(import.meta.dirname, "helpers", "exiting-worker.mjs");
const LOADERS = FOUR_LOADERS;

let dir: string;
const cleanups: Array<() => Promise<void>> = [];

/** Fresh databases for the four loaders, dropped after the file. */
async function databases(): Promise<Record<LoaderName, string>> {
  const { urls, drop } = await fourDatabases();
  cleanups.push(drop);
  return urls;
}

// Real tweets are 3-6 KB of JSON; so are these, so that lines are read in batches as real ones are.
const PAD = `,"pad":"${"x".repeat(3000)}"`;
const tweet = (n: number, extra = "") =>
  `{"created_at":"Fri Jan 01 12:00:${String(n % 60).padStart(2, "0")} +0000 2021","id":${1_300_000_000_000_000_000n + BigInt(n)},"id_str":"${1_300_000_000_000_000_000n + BigInt(n)}","text":"tweet ${n} #t${n % 3}","user":{"id":${1000 + (n % 17)},"id_str":"${1000 + (n % 17)}","screen_name":"u${n % 17}"},"entities":{"hashtags":[{"text":"t${n % 3}"}],"user_mentions":[{"id":${2000 + (n % 5)},"screen_name":"m"}]}${PAD}${extra}}`;

const tweets = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => tweet(from + i));

async function writeZip(path: string, members: Array<[string, string]>) {
  const zip = new yazl.ZipFile();
  for (const [name, data] of members) zip.addBuffer(Buffer.from(data), name);
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
}

const load = (
  c: LoaderCase,
  url: string,
  files: string[],
  extra: Parameters<typeof loadWith>[4] = {},
) => loadWith(c, url, files, rejectsDirOf(dir, c), extra);

/** Tweets the database holds: rows of tweets_jsonb, or of tweets. */
const tweetCount = (db: DbKind, url: string) =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${tweetTable(db)}`,
    );
    return Number(rows[0]?.n);
  });

const journal = (url: string) =>
  withClient(url, async (client) => {
    const { rows } = await client.query<{ tweets: string; rejects: string; notices: object }>(
      "SELECT tweets, rejects, notices FROM tweetload.journal ORDER BY file_name",
    );
    return rows.map((r) => ({
      tweets: Number(r.tweets),
      rejects: Number(r.rejects),
      notices: r.notices,
    }));
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-accounting-"));
});
afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

describe("stream notices and edge lines, alike in all four loaders", () => {
  const deep = `{"id":7,"user":{"id":8},"x":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}`;
  const EDGE_REJECTS = [
    '{"id":123456789012345678901,"id_str":"123456789012345678901","user":{"id":2}}',
    tweet(9001).replace(
      '"user_mentions":[{"id":2001',
      '"user_mentions":[{"id":99999999999999999999',
    ),
    deep,
  ];
  const EDGE_TWEETS = [
    // id_str and no id: a tweet (only an object without id/id_str is bad)
    '{"created_at":"Fri Jan 01 13:00:00 +0000 2021","id_str":"1234567890123456789","text":"#edge","user":{"id_str":"77"},"entities":{"hashtags":[{"text":"edge"}]}}',
    // a hashtag without text: a tweet, and no NULL tag anywhere
    tweet(
      9002,
      ',"extended_tweet":{"full_text":"x #ok, with room","entities":{"hashtags":[{"indices":[0,1]},{"text":"ok"}]}}',
    ),
  ];
  const NOTICES = [
    '{"delete":{"status":{"id":1,"id_str":"1","user_id":3,"user_id_str":"3"},"timestamp_ms":"1609459200000"}}',
    '{"limit":{"track":42,"timestamp_ms":"1609459200000"}}',
    '{"scrub_geo":{"user_id":3,"up_to_status_id":9}}',
    '{ "status_withheld": {"id":1,"user_id":3,"withheld_in_countries":["DE"]} }', // spaced: not the raw path's form
    '{"warning":{"code":"FALLING_BEHIND","message":"m","percent_full":60}}',
  ];
  let edgeFile: string;
  let streamZip: string;

  beforeAll(async () => {
    const lines = [
      ...tweets(0, 50),
      NOTICES[0],
      EDGE_REJECTS[0],
      ...tweets(50, 50),
      EDGE_TWEETS[0],
      NOTICES[1],
      EDGE_REJECTS[1],
      NOTICES[2],
      ...tweets(100, 20),
      EDGE_REJECTS[2],
      EDGE_TWEETS[1],
      NOTICES[3],
      NOTICES[4],
      ...tweets(120, 5),
    ];
    edgeFile = join(dir, "edge.jsonl");
    await writeFile(edgeFile, `${lines.join("\n")}\n`);
    // A stream capture: tweets with delete and limit notices between them, nothing bad.
    const stream: string[] = [];
    for (let i = 0; i < 2000; i++) {
      stream.push(tweet(10_000 + i));
      if (i % 4 === 0) stream.push(NOTICES[0] as string);
      if (i % 100 === 0) stream.push(NOTICES[1] as string);
    }
    streamZip = join(dir, "stream.zip");
    await writeZip(streamZip, [["stream.jsonl", `${stream.join("\n")}\n`]]);
  });

  it("skips and counts notices by kind, rejects the same edge lines, and check agrees", async () => {
    const urls = await databases();
    const rejected: Record<string, number[]> = {};
    for (const c of LOADERS) {
      const result = await load(c, urls[c.name], [edgeFile, streamZip], { maxRejects: 3 });
      const [edge, stream] = result.files as [FileReport, FileReport];
      expect([c.name, edge.status, edge.tweets, edge.rejects]).toEqual([c.name, "loaded", 127, 3]);
      expect(edge.notices).toEqual({
        delete: 1,
        limit: 1,
        scrub_geo: 1,
        status_withheld: 1,
        warning: 1,
      });
      expect([c.name, stream.status, stream.tweets, stream.rejects]).toEqual([
        c.name,
        "loaded",
        2000,
        0,
      ]);
      expect(stream.notices).toEqual({ delete: 500, limit: 20 });
      expect(result.totals.notices).toEqual({
        delete: 501,
        limit: 21,
        scrub_geo: 1,
        status_withheld: 1,
        warning: 1,
      });
      // The database's truth: the journal and count(*) equal the report.
      expect(await tweetCount(c.db, urls[c.name])).toBe(2127);
      expect(await journal(urls[c.name])).toEqual([
        { tweets: 127, rejects: 3, notices: edge.notices },
        { tweets: 2000, rejects: 0, notices: { delete: 500, limit: 20 } },
      ]);
      const rejects = (await readFile(edge.rejectsFile as string, "utf8")).trim().split("\n");
      rejected[c.name] = rejects.map((line) => (JSON.parse(line) as { lineNo: number }).lineNo);
      expect(rejects.map((l) => (JSON.parse(l) as { error: string }).error).join("\n")).toMatch(
        /BIGINT[\s\S]*BIGINT[\s\S]*nested 100001 levels deep/,
      );
      expect(rejectsPath(rejectsDirOf(dir, c), await realpath(edgeFile), c.db)).toBe(
        edge.rejectsFile,
      );
    }
    expect(new Set(Object.values(rejected).map((r) => r.join()))).toEqual(new Set(["52,105,127"]));
    // Each loader's database beside the other kinds' databases of the same load.
    for (const loaders of [loadersFor(false), loadersFor(true)]) {
      const targets = Object.fromEntries(DB_KINDS.map((db) => [db, urls[loaders[db]]]));
      const report = await runChecks(targets as Targets, { compare: "each-other" });
      expect(report.ok).toBe(true);
    }
    await withClient(urls.denormalized, async (client) => {
      const { rows } = await client.query(
        "SELECT (SELECT count(*) FROM tweet_tags WHERE tag IS NULL) AS null_tags, (SELECT count(*) FROM tweets WHERE id_tweets IS NULL) AS null_ids, (SELECT count(*) FROM tweets WHERE id_tweets = 1234567890123456789) AS id_str_only",
      );
      expect(rows[0]).toEqual({ null_tags: "0", null_ids: "0", id_str_only: "1" });
    });
  });
});

describe("a file's report is the database's truth when it does not finish", () => {
  it.each(LOADERS)("too many rejects in the middle: $name reports what it committed", async (c) => {
    const urls = await databases();
    const bad = Array.from({ length: 30 }, (_, i) => `not json ${i}`);
    const file = join(dir, `rejects-${slug(c)}.jsonl`);
    await writeFile(file, `${[...tweets(0, 450), ...bad, ...tweets(450, 300)].join("\n")}\n`);
    expect(await tweetCount(c.db, urls[c.name])).toBe(0);
    const result = await load(c, urls[c.name], [file], { maxRejects: 20 });
    const report = result.files[0] as FileReport;
    const held = await tweetCount(c.db, urls[c.name]);
    expect(report.tweets).toBe(held);
    expect(report.error).toMatch(/21 lines are not tweets, more than --max-rejects 20 allows/);
    if (c.db === "normalized") {
      // Commits as it goes: what was committed before the 21st bad line stays, and says so.
      expect(report.status).toBe("partial");
      expect(held).toBeGreaterThan(0);
      expect(report.error).toMatch(/run the same command again to finish it/);
    } else {
      expect([report.status, held]).toEqual(["failed", 0]);
    }
    expect(await journal(urls[c.name])).toEqual([]);
    expect(result.totals.partial + result.totals.failed).toBe(1);
  });

  it.each(LOADERS)(
    "regression: a count past INTEGER stopped the file (and every re-run) at its line: $name rejects the line and loads the rest",
    async (c) => {
      const urls = await databases();
      const file = join(dir, `refused-${slug(c)}.jsonl`);
      const refused = tweet(5000, ',"retweet_count":3000000000');
      await writeFile(file, `${[...tweets(0, 350), refused, ...tweets(350, 300)].join("\n")}\n`);
      const result = await load(c, urls[c.name], [file], { retries: 0 });
      const report = result.files[0] as FileReport;
      expect([report.status, report.tweets, report.rejects]).toEqual(["loaded", 650, 1]);
      expect(await tweetCount(c.db, urls[c.name])).toBe(650);
      const [record] = (await readFile(report.rejectsFile as string, "utf8")).trim().split("\n");
      expect(JSON.parse(record as string)).toMatchObject({
        lineNo: 351,
        error:
          "retweet_count 3000000000 is not a whole number from -2147483648 to 2147483647 (a count is an INTEGER)",
      });
      expect(await journal(urls[c.name])).toEqual([{ tweets: 650, rejects: 1, notices: {} }]);
      const again = await load(c, urls[c.name], [file], { retries: 0 });
      expect(again.files[0]?.status).toBe("skipped");
    },
  );

  it.each(LOADERS)(
    "a file in which no line is a tweet fails: $name, nothing journaled",
    async (c) => {
      const urls = await databases();
      const file = join(dir, `no-tweets-${slug(c)}.jsonl`);
      await writeFile(file, '{"delete":{"status":{"id":1}}}\n{"other":"format"}\n[1]\n');
      const result = await load(c, urls[c.name], [file]);
      expect(result.files[0]).toMatchObject({
        status: "failed",
        tweets: 0,
        error: expect.stringMatching(/no line of it is a tweet \(2 rejected, 1 stream notices\)/),
      });
      expect(await journal(urls[c.name])).toEqual([]);
      expect(await tweetCount(c.db, urls[c.name])).toBe(0);
    },
  );

  it.each(LOADERS)("a worker killed mid-file: $name reports what the database holds", async (c) => {
    const urls = await databases();
    const files: string[] = [];
    for (let f = 0; f < 2; f++) {
      files.push(join(dir, `killed-${f}-${slug(c)}.jsonl`));
      await writeFile(files[f] as string, `${tweets(f * 10_000, 2500).join("\n")}\n`);
    }
    // The crash comes from a test-only worker entry, which reads these when its thread starts.
    process.env.TWEETLOAD_TEST_WORKER_EXIT_AT = "1000";
    process.env.TWEETLOAD_TEST_WORKER_EXIT_MARKER = join(dir, `killed-${slug(c)}`);
    const pool = startWorkerPool(2, 100, { entry: EXITING_WORKER });
    try {
      // Whole files (chunkLines 0): chunked-load.test.ts kills workers of chunked loads.
      const result = await load(c, urls[c.name], files, { jobs: 2, pool, chunkLines: 0 });
      const dead = result.files.filter((f) => f.status !== "loaded");
      expect(dead).toHaveLength(1);
      expect(dead[0]?.error).toMatch(/worker loading it stopped/);
      const held = await tweetCount(c.db, urls[c.name]);
      expect(result.totals.tweets).toBe(held);
      expect(dead[0]?.status).toBe(c.db === "normalized" ? "partial" : "failed");
      if (c.db !== "normalized") expect(held).toBe(2500);
    } finally {
      delete process.env.TWEETLOAD_TEST_WORKER_EXIT_AT;
      delete process.env.TWEETLOAD_TEST_WORKER_EXIT_MARKER;
      await pool.destroy();
    }
  });

  it.each(LOADERS)(
    "Ctrl-C mid-file: $name reports per file what the database holds, exit 130",
    async (c) => {
      const urls = await databases();
      const files: string[] = [];
      for (let f = 0; f < 2; f++) {
        files.push(join(dir, `sigint-${f}-${slug(c)}.jsonl`));
        await writeFile(files[f] as string, `${tweets(f * 10_000, 3000).join("\n")}\n`);
      }
      const args = ["load", "--db", c.db, "-j", "1", "--json", "--batch-size", "100"];
      if (c.batched) args.push("--batch");
      args.push(...urlFlags({ [c.db]: urls[c.name] }), "--rejects", join(dir, "rejects"), ...files);
      const run = startCli(args);
      await waitFor("the first file under way", async () =>
        c.db === "normalized"
          ? (await tweetCount(c.db, urls[c.name])) > 0
          : writingTransaction(adminUrl(), urls[c.name]),
      );
      run.child.kill("SIGINT");
      const { code, stdout } = await run.done;
      expect(code).toBe(130);
      const summary = JSON.parse(stdout) as { files: FileReport[] };
      const [first, second] = summary.files as [FileReport, FileReport];
      const held = await tweetCount(c.db, urls[c.name]);
      expect(first.tweets + second.tweets).toBe(held);
      expect(second).toMatchObject({ status: "failed", tweets: 0 });
      if (c.db === "normalized") {
        expect(first).toMatchObject({
          status: "partial",
          error: expect.stringMatching(/^interrupted; \d+ of its tweets are committed/),
        });
        expect(held).toBeGreaterThan(0);
      } else {
        expect([first.status, held]).toEqual(["failed", 0]);
      }
      const again = await startCli(args).done;
      expect(again.code).toBe(0);
      expect(await tweetCount(c.db, urls[c.name])).toBe(6000);
    },
  );
});
