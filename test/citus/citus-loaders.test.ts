import { execFile } from "node:child_process";
import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeName, readNodes, urlOnNode } from "../../src/db/citus-nodes.js";
import { withClient } from "../../src/db/client.js";
import type { Targets } from "../../src/db/kinds.js";
import { projectPath } from "../../src/paths.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { citusTargets, citusUrl } from "./citus-cluster.js";

const run = promisify(execFile);
const cli = projectPath("bin", "tweetload.js");
const SAMPLE_TWEETS = 6027;

if (!citusUrl) {
  console.warn(
    "\n  test/citus skipped: set TWEETLOAD_CITUS_URL to a superuser URL of a Citus coordinator " +
      "with its workers registered (e.g. postgres://postgres@127.0.0.1:56000/postgres) to run it.\n",
  );
}

const targetEnv = (t: Targets) => ({
  ...process.env,
  TWEETLOAD_DENORMALIZED_URL: t.denormalized,
  TWEETLOAD_NORMALIZED_URL: t.normalized,
  TWEETLOAD_NORMALIZED_BATCH_URL: t.normalized_batch,
});

describe.skipIf(!citusUrl)("on a Citus cluster (TWEETLOAD_CITUS_URL)", () => {
  let cluster: Awaited<ReturnType<typeof citusTargets>>;
  let dir: string;
  const tweetload = (args: string[]) =>
    run("node", [cli, ...args], { env: targetEnv(cluster.targets), maxBuffer: 1 << 26 });
  const load = async (db: string, jobs: number, extra: string[] = []) => {
    const { stdout } = await tweetload([
      "load",
      "--db",
      db,
      "-j",
      String(jobs),
      "--json",
      "--rejects",
      join(dir, "rejects"),
      ...extra,
    ]);
    return JSON.parse(stdout) as { totals: { tweets: number; rejects: number; failed: number } };
  };
  const count = (url: string, sql: string) =>
    withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]?.n));

  beforeAll(async () => {
    cluster = await citusTargets(citusUrl as string);
    dir = await mkdtemp(join(tmpdir(), "tweetload-citus-"));
  });
  afterAll(async () => {
    await cluster?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("db reset --citus makes the databases on every node from nothing, distributes every table, co-locates the tweet tables and keeps the journal local", async () => {
    const databases = Object.values(cluster.targets).map((u) => new URL(u).pathname.slice(1));
    const onEveryNode = async (sql: string, db: string) => {
      const out: unknown[] = [];
      for (const node of [null, ...cluster.workers]) {
        const { rows } = await withClient(urlOnNode(citusUrl as string, node, db), (c) =>
          c.query(sql, [databases]),
        );
        out.push(rows[0]);
      }
      return out;
    };
    const adminDb = new URL(citusUrl as string).pathname.slice(1);
    const present = "SELECT count(*)::int AS n FROM pg_database WHERE datname = ANY($1)";
    expect(await onEveryNode(present, adminDb)).toEqual(
      Array(cluster.workers.length + 1).fill({ n: 0 }),
    );
    const { stdout, stderr } = await tweetload([
      "db",
      "reset",
      "--citus",
      "--shards",
      "2",
      "--yes",
    ]);
    expect(stdout).toMatch(/distributed over Citus in 2 shards per table/);
    expect(stderr).toMatch(/made tweetload_citus_\w+_normalized on /);
    expect(await onEveryNode(present, adminDb)).toEqual(
      Array(cluster.workers.length + 1).fill({ n: 3 }),
    );
    for (const url of Object.values(cluster.targets)) {
      const db = new URL(url).pathname.slice(1);
      expect(
        await onEveryNode(
          "SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'citus' AND $1::text[] IS NOT NULL",
          db,
        ),
      ).toEqual(Array(cluster.workers.length + 1).fill({ n: 1 }));
      const registered = await withClient(url, readNodes);
      expect(
        registered
          .filter((n) => n.groupId !== 0)
          .map(nodeName)
          .sort(),
      ).toEqual(cluster.workers.map(nodeName).sort());
    }
    const layout = async (url: string) =>
      withClient(url, async (c) => {
        const { rows } = await c.query<{ t: string; col: string; co: number; shards: number }>(
          `SELECT logicalrelid::text AS t, column_to_column_name(logicalrelid, partkey) AS col,
                  colocationid AS co,
                  (SELECT count(*)::int FROM pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid) AS shards
             FROM pg_dist_partition p ORDER BY 1`,
        );
        return Object.fromEntries(rows.map((r) => [r.t, r]));
      });
    const batch = await layout(cluster.targets.normalized_batch);
    const normalized = await layout(cluster.targets.normalized);
    for (const l of [batch, normalized]) {
      for (const t of ["tweet_media", "tweet_mentions", "tweet_tags", "tweet_urls", "tweets"]) {
        expect(l[t]?.col).toBe("id_tweets");
        expect(l[t]?.co).toBe(l.tweets?.co);
        expect(l[t]?.shards).toBe(2);
      }
      expect(l.users?.col).toBe("id_users");
      expect(l["tweetload.journal"]).toBeUndefined();
    }
    expect(batch["tweetload.journal_parts"]?.co).toBe(batch.tweets?.co);
    expect(normalized.urls?.col).toBe("id_urls");
    const denormalized = await layout(cluster.targets.denormalized);
    expect(denormalized.tweets_jsonb?.col).toBe("id_tweets");
    expect(Object.keys(denormalized).sort()).toEqual(["tweetload.journal_parts", "tweets_jsonb"]);
    expect(denormalized["tweetload.journal_parts"]?.co).toBe(denormalized.tweets_jsonb?.co);
    // Idempotent: init finds everything in place and keeps it.
    const again = await tweetload(["db", "init", "--citus"]);
    expect(again.stdout.match(/already distributed over Citus: kept/g)).toHaveLength(3);
    expect(again.stderr).toBe("");
  });

  it("loads the sample with every loader, sequentially, and both checkers agree with expected/", async () => {
    const data = projectPath("data");
    for (const [db, extra] of [
      ["normalized_batch", []],
      ["denormalized", []],
      ["normalized", []],
    ] as const) {
      const result = await load(db, 1, [...extra, data]);
      expect(result.totals).toMatchObject({ tweets: SAMPLE_TWEETS, rejects: 0, failed: 0 });
    }
    // The journal rows went in with each file's rows, on the coordinator.
    expect(
      await count(cluster.targets.normalized_batch, "SELECT count(*) AS n FROM tweetload.journal"),
    ).toBe(10);
    await tweetload(["check"]);
    const answers = await run(projectPath("check-answers.sh"), [], {
      env: targetEnv(cluster.targets),
    });
    expect(answers.stdout).toMatch(/All answers match expected\//);
  }, 600_000);

  it("loads the sample in parallel (normalized --batch among them) with the same answers", async () => {
    await tweetload(["db", "reset", "--citus", "--yes"]);
    const data = projectPath("data");
    for (const [db, extra] of [
      ["normalized_batch", []],
      ["denormalized", []],
      ["normalized", ["--batch"]],
    ] as const) {
      const result = await load(db, 2, [...extra, data]);
      expect(result.totals).toMatchObject({ tweets: SAMPLE_TWEETS, rejects: 0, failed: 0 });
    }
    await tweetload(["check"]);
    const answers = await run(projectPath("check-answers.sh"), [], {
      env: targetEnv(cluster.targets),
    });
    expect(answers.stdout).toMatch(/All answers match expected\//);
  }, 600_000);

  it("a row a worker refuses (its error names no COPY line) still becomes that line's reject in denormalized", async () => {
    await tweetload(["db", "reset", "--citus", "--db", "denormalized", "--yes"]);
    const good = (id: number) =>
      JSON.stringify({ id, id_str: String(id), text: "t", user: { id: 7, id_str: "7" } });
    const lines = [
      good(1),
      // A tweet id but a user without one: only the worker's CHECK sees it.
      JSON.stringify({ id: 2, id_str: "2", text: "t", user: { name: "no id" } }),
      good(3),
      // No id at all: the loader's quick reading of the id finds none.
      JSON.stringify({ text: "t", user: { id: 7 } }),
      good(4),
    ];
    const file = join(dir, "refused.jsonl");
    await writeFile(file, `${lines.join("\n")}\n`);
    const result = await load("denormalized", 1, [file]);
    expect(result.totals).toMatchObject({ tweets: 3, rejects: 2, failed: 0 });
    const rejects = (
      await readFile(
        rejectsPath(join(dir, "rejects"), await realpath(file), "denormalized"),
        "utf8",
      )
    )
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { lineNo: number });
    expect(rejects.map((r) => r.lineNo)).toEqual([2, 4]);
    expect(
      await count(cluster.targets.denormalized, "SELECT count(*) AS n FROM tweets_jsonb"),
    ).toBe(3);
    expect(
      await count(cluster.targets.denormalized, "SELECT sum(id_tweets) AS n FROM tweets_jsonb"),
    ).toBe(8);
  });
});
