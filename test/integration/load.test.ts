import { execFile } from "node:child_process";
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind, type Targets } from "../../src/db/kinds.js";
import { detectGeoMode } from "../../src/db/schema.js";
import { projectPath } from "../../src/paths.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { runLoad } from "../../src/run/run-load.js";
import { freshDatabase, targetsDroppedBy } from "./helpers/database.js";
import {
  type FixtureExpectations,
  writeMixedFixture,
  writeOverlapFixture,
} from "./load-fixture.js";

let dir: string;
let mixed: Awaited<ReturnType<typeof writeMixedFixture>>;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-load-"));
  mixed = await writeMixedFixture(dir);
});
afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

const targets = () => targetsDroppedBy(cleanups);

/** Sorted "a b" strings of a two-column query. */
async function pairs(url: string, sql: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ a: string; b: string }>(sql);
    return rows.map((r) => `${r.a} ${r.b}`).sort();
  });
}

const urlJoin = (db: DbKind, table: string) =>
  db === "normalized"
    ? `SELECT DISTINCT t.id_tweets::text AS a, u.url AS b FROM ${table} t JOIN urls u USING (id_urls)`
    : `SELECT DISTINCT id_tweets::text AS a, url AS b FROM ${table}`;

/** What one database holds, in a form comparable across the three. */
async function contents(db: DbKind, url: string) {
  const geoMode = await withClient(url, (c) => detectGeoMode(c));
  const geo = geoMode === "postgis" ? "ST_AsText(geo)" : "geo";
  return {
    tweetIds: await withClient(url, async (c) =>
      (
        await c.query<{ id: string }>(
          "SELECT DISTINCT id_tweets::text AS id FROM tweets ORDER BY 1",
        )
      ).rows.map((r) => r.id),
    ),
    mentions: await pairs(
      url,
      "SELECT DISTINCT id_tweets::text AS a, id_users::text AS b FROM tweet_mentions",
    ),
    tags: await pairs(url, "SELECT DISTINCT id_tweets::text AS a, tag AS b FROM tweet_tags"),
    urls: await pairs(url, urlJoin(db, "tweet_urls")),
    media: await pairs(url, urlJoin(db, "tweet_media")),
    tweets: await withClient(
      url,
      async (c) =>
        (
          await c.query(
            `SELECT DISTINCT id_tweets::text, id_users::text, created_at, in_reply_to_user_id::text,
                  quoted_status_id::text, country_code, state_code, place_name, lang, text, source,
                  ${geo} AS geo
             FROM tweets ORDER BY 1`,
          )
        ).rows,
    ),
  };
}

function expectMatches(got: Awaited<ReturnType<typeof contents>>, expected: FixtureExpectations) {
  expect(got.tweetIds).toEqual(expected.tweetIds);
  expect(got.mentions).toEqual(expected.mentions);
  expect(got.tags).toEqual(expected.tags);
  expect(got.urls).toEqual(expected.urls);
  expect(got.media).toEqual(expected.media);
  for (const [id, text] of Object.entries(expected.texts)) {
    expect(got.tweets.find((t) => t.id_tweets === id)?.text).toBe(text);
  }
}

describe.each([
  ["sequentially", 1],
  ["in parallel, more jobs than cores", 3],
])("load %s", (_, jobs) => {
  it("puts the same tweets, exact ids and NUL-free texts into all three databases", async () => {
    const t = await targets();
    const result = await runLoad({
      files: mixed.files,
      dbs: [...DB_KINDS],
      targets: t,
      jobs,
      batchSize: 7,
    });
    expect(result.files.map((f) => [f.db, f.status, f.error])).toEqual(
      DB_KINDS.flatMap((db) => mixed.files.map(() => [db, "loaded", undefined])),
    );
    expect(result.totals.tweets).toBe(3 * mixed.lines);
    const got = await Promise.all(DB_KINDS.map((db) => contents(db, t[db])));
    for (const g of got) expectMatches(g, mixed.expected);
    expect(got[1]?.tweets).toEqual(got[0]?.tweets);
    expect(got[2]?.tweets).toEqual(got[0]?.tweets);
    const users = await withClient(t.normalized, async (c) =>
      (await c.query<{ id: string }>("SELECT id_users::text AS id FROM users ORDER BY 1")).rows.map(
        (r) => r.id,
      ),
    );
    expect(users).toEqual(mixed.expected.users);
  });
});

describe("normalized loader under contention", () => {
  it("completes overlapping files on parallel workers with exact counts (deadlock-prone case)", async () => {
    const fixture = await writeOverlapFixture(dir, 4, 150);
    const db = await freshDatabase("normalized");
    cleanups.push(db.drop);
    const t = { normalized: db.url } as Targets;
    const result = await runLoad({
      files: fixture.files,
      dbs: ["normalized"],
      targets: t,
      jobs: 4,
      batchSize: 1,
    });
    expect(result.files.every((f) => f.status === "loaded")).toBe(true);
    const got = await contents("normalized", db.url);
    expectMatches(got, fixture.expected);
    const counts = await withClient(
      db.url,
      async (c) =>
        (
          await c.query(
            `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM urls) AS urls`,
          )
        ).rows[0],
    );
    const distinctUrls = new Set([
      ...fixture.expected.urls.map((p) => p.split(" ")[1]),
      ...fixture.expected.media.map((p) => p.split(" ")[1]),
      ...Array.from({ length: 5 }, (_, i) => `https://home.example/${i}`),
    ]);
    expect(counts).toEqual({ users: fixture.expected.users.length, urls: distinctUrls.size });
  });

  it("skips tweets already present when a file is loaded again", async () => {
    const db = await freshDatabase("normalized");
    cleanups.push(db.drop);
    const t = { normalized: db.url } as Targets;
    for (let i = 0; i < 2; i++) {
      await runLoad({ files: mixed.files, dbs: ["normalized"], targets: t, jobs: 1, batchSize: 1 });
    }
    expectMatches(await contents("normalized", db.url), mixed.expected);
  });
});

describe("bad input", () => {
  it("fails only the unreadable file and rejects bad lines with their location", async () => {
    const bad = join(dir, "broken.zip");
    await writeFile(bad, "not a zip at all");
    const badLines = join(dir, "bad-lines.jsonl");
    const good = (await readFile(mixed.files[2] as string, "utf8")).split(/\r?\n/).filter(Boolean);
    await writeFile(badLines, `${good[0]}\n{"truncated":\n[1,2]\n${good[1]}\n`);
    const rejectsDir = join(dir, "rejects");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(rejectsDir);
    const t = await targets();
    const result = await runLoad({
      files: [bad, badLines],
      dbs: ["denormalized", "normalized", "normalized_batch"],
      targets: t,
      jobs: 2,
      batchSize: 10,
      rejectsDir,
    });
    const byKey = Object.fromEntries(result.files.map((f) => [`${f.db}:${f.file}`, f]));
    for (const db of ["denormalized", "normalized", "normalized_batch"] as const) {
      expect(byKey[`${db}:${bad}`]).toMatchObject({
        status: "failed",
        error: expect.stringContaining(bad),
      });
      expect(byKey[`${db}:${badLines}`]).toMatchObject({ status: "loaded", tweets: 2, rejects: 2 });
      const rejected = (
        await readFile(rejectsPath(rejectsDir, await realpath(badLines), db), "utf8")
      )
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(rejected.map((r) => [r.file, r.member, r.lineNo, r.text])).toEqual([
        [badLines, null, 2, '{"truncated":'],
        [badLines, null, 3, "[1,2]"],
      ]);
    }
    // The COPY loader rejects the same lines as the others and loads the rest.
    expect(result.totals.failed).toBe(3);
  });
});

describe("tweetload load (built CLI)", () => {
  const run = promisify(execFile);
  it("prints the JSON summary and exits 0 when every file loaded, 1 otherwise", async () => {
    const t = await targets();
    const flags = [
      `--denormalized-url=${t.denormalized}`,
      `--normalized-url=${t.normalized}`,
      `--normalized-batch-url=${t.normalized_batch}`,
    ];
    const cli = projectPath("bin", "tweetload.js");
    const rejects = ["--rejects", join(dir, "cli-rejects")];
    const ok = await run(
      "node",
      [cli, "load", "--db", "all", "--json", "-j", "2", ...rejects, ...flags, dir],
      {
        env: { ...process.env, TWEETLOAD_HOME: join(dir, "home") },
      },
    ).catch((e: { code: number; stdout: string }) => e);
    // dir also holds broken.zip from the test above when run in order; count both cases.
    const summary = JSON.parse((ok as { stdout: string }).stdout);
    expect(Object.keys(summary)).toEqual(["files", "totals", "resources"]);
    expect(summary.resources.maxRssMB).toBeGreaterThan(0);
    const failed = summary.files.filter((f: { status: string }) => f.status === "failed");
    expect((ok as { code?: number }).code ?? 0).toBe(failed.length > 0 ? 1 : 0);
    expect(summary.totals.failed).toBe(failed.length);
    const again = ["load", "--db", "denormalized", "--json", ...flags, mixed.files[0] as string];
    // The journal makes a second load of the same file a skip; --force loads it again.
    const skipped = await run("node", [cli, ...again]);
    expect(JSON.parse(skipped.stdout).files[0]).toMatchObject({ status: "skipped", tweets: 0 });
    const single = await run("node", [cli, ...again, "--force"]);
    expect(JSON.parse(single.stdout).totals).toMatchObject({ tweets: 40, failed: 0 });
  });
});
