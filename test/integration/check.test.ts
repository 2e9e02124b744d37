import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveExpected, writeExpected } from "../../src/check/derive-expected.js";
import { renderCheckTable } from "../../src/check/render-check-table.js";
import { runChecks } from "../../src/check/run-checks.js";
import { withClient } from "../../src/db/client.js";
import type { Targets } from "../../src/db/targets.js";
import { projectPath } from "../../src/paths.js";
import { freshTargets } from "./helpers/database.js";

const run = promisify(execFile);

/**
 * Three tweets, put into the three databases directly with SQL (not through a
 * loader), in the rows the data contract prescribes. The expected answers are
 * derived from the same JSON by the checker's own reading.
 */
const T1 = "1345500000000000001";
const T2 = "1345500000000000002";
const T3 = "1345500000000000003";
const M1 = "1300000000000000077";
const TEXT1 = "nul\u0000here 😷 \\u0000 #CoronaVirus #covid19 $GME";
const LINES = [
  JSON.stringify({
    created_at: "Sat Jan 02 23:59:59 +0000 2021",
    id: 0,
    id_str: T1,
    text: "short… https://t.co/x",
    truncated: true,
    lang: "en",
    user: { id: 100, id_str: "100", screen_name: "a", statuses_count: 5 },
    place: { country_code: "US", full_name: "Claremont, CA" },
    entities: { hashtags: [{ text: "Ignored" }], user_mentions: [], symbols: [], urls: [] },
    extended_tweet: {
      full_text: TEXT1,
      entities: {
        hashtags: [{ text: "CoronaVirus" }, { text: "covid19" }],
        symbols: [{ text: "GME" }],
        user_mentions: [
          { id: 0, id_str: M1, screen_name: "m" },
          { id: 12, id_str: "12", screen_name: "n" },
        ],
        urls: [{ expanded_url: "https://example.org/1" }],
      },
      extended_entities: {
        media: [
          { media_url: "http://pbs.twimg.com/media/a.jpg", type: "photo" },
          { media_url: "http://pbs.twimg.com/media/b.jpg", type: "photo" },
        ],
      },
    },
  })
    .replace('"id":0,', `"id":${T1},`)
    .replace('"id":0,', `"id":${M1},`),
  JSON.stringify({
    created_at: "Sun Jan 03 00:00:01 +0000 2021",
    id: 0,
    id_str: T2,
    text: "hola #coronavirus #Ñandú",
    lang: "es",
    user: { id: 101, id_str: "101", screen_name: "b", statuses_count: 7 },
    place: null,
    entities: {
      hashtags: [{ text: "coronavirus" }, { text: "Ñandú" }],
      symbols: [],
      user_mentions: [{ id: 12, id_str: "12", screen_name: "n" }],
      urls: [],
    },
    extended_entities: {
      media: [{ media_url: "http://pbs.twimg.com/media/c.jpg", type: "video" }],
    },
  }).replace('"id":0,', `"id":${T2},`),
  JSON.stringify({
    created_at: "Sun Jan 03 10:00:00 +0000 2021",
    id: 0,
    id_str: T3,
    text: "#covid19 #zebra",
    lang: "en",
    user: { id: 102, id_str: "102", screen_name: "c", statuses_count: 9 },
    place: { country_code: "GB", full_name: "London, England" },
    entities: {
      hashtags: [{ text: "covid19" }, { text: "zebra" }],
      symbols: [],
      user_mentions: [],
      urls: [],
    },
  }).replace('"id":0,', `"id":${T3},`),
];
const CLEAN_TEXT1 = TEXT1.replaceAll("\u0000", "");

async function fill(targets: Targets): Promise<void> {
  await withClient(targets.denormalized, async (c) => {
    // JSONB cannot hold \u0000: the contract removes it before it reaches PostgreSQL.
    const rows = [...LINES, LINES[0] as string].map((l) =>
      l.replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1"),
    );
    for (const line of rows)
      await c.query("INSERT INTO tweets_jsonb (data) VALUES ($1::jsonb)", [line]);
  });
  await withClient(targets.normalized, async (c) => {
    await c.query(`
      INSERT INTO users (id_users, screen_name, statuses_count) VALUES
        (100, 'a', 5), (101, 'b', 7), (102, 'c', 9), (${M1}, 'm', NULL), (12, 'n', NULL);
      INSERT INTO urls (url) VALUES ('https://example.org/1'), ('http://pbs.twimg.com/media/a.jpg'),
        ('http://pbs.twimg.com/media/b.jpg'), ('http://pbs.twimg.com/media/c.jpg');`);
    await c.query(
      `INSERT INTO tweets (id_tweets, id_users, created_at, text, lang, country_code, state_code, place_name) VALUES
        (${T1}, 100, '2021-01-02 23:59:59+00', $1, 'en', 'us', 'ca', 'Claremont, CA'),
        (${T2}, 101, '2021-01-03 00:00:01+00', 'hola #coronavirus #Ñandú', 'es', NULL, NULL, NULL),
        (${T3}, 102, '2021-01-03 10:00:00+00', '#covid19 #zebra', 'en', 'gb', NULL, 'London, England')`,
      [CLEAN_TEXT1],
    );
    await c.query(`
      INSERT INTO tweet_tags (id_tweets, tag) VALUES (${T1}, '#CoronaVirus'), (${T1}, '#covid19'), (${T1}, '$GME'),
        (${T2}, '#coronavirus'), (${T2}, '#Ñandú'), (${T3}, '#covid19'), (${T3}, '#zebra');
      INSERT INTO tweet_mentions (id_tweets, id_users) VALUES (${T1}, ${M1}), (${T1}, 12), (${T2}, 12);
      INSERT INTO tweet_urls (id_tweets, id_urls) SELECT ${T1}, id_urls FROM urls WHERE url = 'https://example.org/1';
      INSERT INTO tweet_media (id_tweets, id_urls, type)
        SELECT CASE WHEN url LIKE '%c.jpg' THEN ${T2} ELSE ${T1} END, id_urls,
          CASE WHEN url LIKE '%c.jpg' THEN 'video' ELSE 'photo' END
        FROM urls WHERE url LIKE 'http://pbs.twimg.com/media/%';`);
  });
  await withClient(targets.normalized_batch, async (c) => {
    // Twice: the batch database may hold duplicate rows and the answers must not change.
    for (let copy = 0; copy < 2; copy++) {
      await c.query(
        `INSERT INTO tweets (id_tweets, id_users, created_at, text, lang, country_code) VALUES
          (${T1}, 100, '2021-01-02 23:59:59+00', $1, 'en', 'us'),
          (${T2}, 101, '2021-01-03 00:00:01+00', 'hola #coronavirus #Ñandú', 'es', NULL),
          (${T3}, 102, '2021-01-03 10:00:00+00', '#covid19 #zebra', 'en', 'gb')`,
        [CLEAN_TEXT1],
      );
      // Every snapshot of a user, and older or unhydrated ones the snapshot rule passes over.
      await c.query(`
        INSERT INTO users (id_users, updated_at, screen_name, statuses_count, hydrated, snapshot_tweet_id) VALUES
          (100, '2021-01-02 23:59:59+00', 'a', 5, true, ${T1}),
          (101, '2021-01-03 00:00:01+00', 'b', 7, true, ${T2}),
          (102, '2021-01-03 10:00:00+00', 'c', 9, true, ${T3}),
          (${M1}, '2021-01-02 23:59:59+00', 'm', NULL, false, ${T1}),
          (12, '2021-01-02 23:59:59+00', 'n', NULL, false, ${T1}),
          (12, '2021-01-03 00:00:01+00', 'n', NULL, false, ${T2}),
          (101, '2021-01-01 00:00:00+00', 'older b', 99999, true, 1),
          (101, '2021-01-03 00:00:01+00', 'tie, smaller id', 99998, true, ${T1}),
          (100, '2021-01-03 10:00:00+00', 'later, unhydrated', NULL, false, ${T3});`);
      await c.query(`
        INSERT INTO tweet_tags (id_tweets, tag) VALUES (${T1}, '#CoronaVirus'), (${T1}, '#covid19'), (${T1}, '$GME'),
          (${T2}, '#coronavirus'), (${T2}, '#Ñandú'), (${T3}, '#covid19'), (${T3}, '#zebra');
        INSERT INTO tweet_mentions (id_tweets, id_users) VALUES (${T1}, ${M1}), (${T1}, 12), (${T2}, 12);
        INSERT INTO tweet_media (id_tweets, url, type) VALUES (${T1}, 'http://pbs.twimg.com/media/a.jpg', 'photo'),
          (${T1}, 'http://pbs.twimg.com/media/b.jpg', 'photo'), (${T2}, 'http://pbs.twimg.com/media/c.jpg', 'video');`);
    }
  });
}

describe("runChecks and check-answers.sh on three real databases", () => {
  let targets: Targets;
  let drop: () => Promise<void>;
  let dir: string;
  let expectedDir: string;

  beforeAll(async () => {
    ({ targets, drop } = await freshTargets());
    dir = await mkdtemp(join(tmpdir(), "tweetload-check-"));
    await writeFile(join(dir, "tweets.jsonl"), `${LINES.join("\n")}\n`);
    expectedDir = join(dir, "expected");
    await writeExpected(expectedDir, await deriveExpected([join(dir, "tweets.jsonl")]));
    await fill(targets);
  });

  afterAll(async () => {
    await drop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const script = (url: string) =>
    run("sh", [projectPath("check-answers.sh"), url], {
      env: { ...process.env, EXPECTED_DIR: expectedDir },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );

  it("passes when the three databases hold the same tweets", async () => {
    const report = await runChecks(targets, { expectedDir });
    expect(report.ok, renderCheckTable(report)).toBe(true);
    expect(report.comparedWith).toBe("expected");
    const auto = await runChecks(targets, { expectedDir, compare: "auto" });
    expect(auto.comparedWith, auto.reason).toBe("expected");
    expect(auto.ok).toBe(true);
    for (const url of Object.values(targets)) {
      const { code, stdout } = await script(url);
      expect(code, stdout).toBe(0);
      expect(stdout.match(/^pass /gm)).toHaveLength(10);
    }
  });

  it("auto does not take other tweets of the sample's number for the sample (6,000 generated tweets were compared with expected/ and failed)", async () => {
    // The same number of tweets as the expected answers, other mentions: not the sample.
    const other = join(dir, "other-expected");
    await cp(expectedDir, other, { recursive: true });
    const mentions = (await readdir(other)).find((f) => f.startsWith("02_")) as string;
    await writeFile(join(other, mentions), "999|nobody|1\n");
    const auto = await runChecks(targets, { expectedDir: other, compare: "auto" });
    expect(auto.comparedWith, auto.reason).toBe("each-other");
    expect(auto.ok, renderCheckTable(auto)).toBe(true);
  });

  it("fails and names the query after one row is deleted from one database", async () => {
    await withClient(targets.normalized, (c) =>
      c.query("DELETE FROM tweet_tags WHERE tag = '#zebra'"),
    );
    const report = await runChecks(targets, { expectedDir });
    expect(report.ok).toBe(false);
    const failing = report.queries.filter((q) =>
      Object.values(q.cells).some((c) => c.status !== "pass"),
    );
    expect(failing.map((q) => q.name)).toEqual(["03_tags"]);
    expect(failing[0]?.cells.normalized).toMatchObject({
      status: "fail",
      diff: { missing: ["7"], extra: ["6"] },
    });
    const table = renderCheckTable(report);
    expect(table).toMatch(/^03_tags\s+pass\s+FAIL\s+pass$/m);
    expect(table).toContain("Failed: 03_tags");

    // Compared only with each other, the two that agree outvote the third.
    const mutual = await runChecks(targets, { compare: "each-other" });
    expect(mutual.queries.find((q) => q.name === "03_tags")?.cells.normalized.status).toBe("fail");

    const { code, stdout } = await script(targets.normalized);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL {2}03_tags/m);
    expect(stdout).toMatch(/^pass {2}01_tweets/m);
  });

  it("takes a user's latest snapshot in pg_normalized_batch: a newer one changes query 10 there", async () => {
    await withClient(targets.normalized_batch, (c) =>
      c.query(`INSERT INTO users (id_users, updated_at, screen_name, statuses_count, hydrated, snapshot_tweet_id)
               VALUES (101, '2021-01-04 00:00:00+00', 'renamed b', 8, true, ${T3})`),
    );
    const report = await runChecks(targets, { expectedDir });
    const authors = report.queries.find((q) => q.name === "10_coronavirus_authors");
    expect(authors?.cells.normalized_batch).toMatchObject({
      status: "fail",
      diff: { missing: ["101|b|7|1"], extra: ["101|renamed b|8|1"] },
    });
    expect(authors?.cells.denormalized.status).toBe("pass");
  });
});
