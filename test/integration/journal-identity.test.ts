import { cp, mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS } from "../../src/db/kinds.js";
import { applySchema } from "../../src/db/schema.js";
import { loadersFor } from "../../src/load/registry.js";
import { DurabilityFixture, load, rejectFiles } from "./durability-fixture.js";
import { allCounts, startCli, urlFlags } from "./fault-helpers.js";
import { freshDatabase } from "./helpers/database.js";

// Files are known by their resolved path and their content.
const fx = new DurabilityFixture();

beforeAll(() => fx.setUp("tweetload-identity-", 300));
afterAll(() => fx.tearDown());

describe("two files with the same base name in two folders", () => {
  it("both load, each with its own reject file whose records name it", async () => {
    const a = await fx.file("a/day.jsonl", [...fx.tweets.slice(0, 40), "bad a1", "[1]"]);
    const b = await fx.file("b/day.jsonl", [...fx.tweets.slice(40, 100), "bad b1", "bad b2", "{}"]);
    const t = await fx.targets();
    const rejects = join(fx.dir, "same-name-rejects");
    const result = await load(t, [a, b], rejects, { jobs: 2 });
    expect(result.files.map((f) => [f.db, f.file, f.status, f.tweets, f.rejects])).toEqual(
      DB_KINDS.flatMap((db) => [
        [db, a, "loaded", 40, 2],
        [db, b, "loaded", 60, 3],
      ]),
    );
    expect(await allCounts(t)).toEqual(await fx.cleanCounts([a, b]));
    const files = await rejectFiles(rejects);
    expect(files.size).toBe(6);
    for (const db of DB_KINDS) {
      const ofA = result.files.find((f) => f.db === db && f.file === a)?.rejectsFile as string;
      const ofB = result.files.find((f) => f.db === db && f.file === b)?.rejectsFile as string;
      expect(ofA).not.toBe(ofB);
      const recordsA = files.get(relative(rejects, ofA));
      const recordsB = files.get(relative(rejects, ofB));
      expect(recordsA?.map((r) => [r.path, r.lineNo, r.text])).toEqual([
        [a, 41, "bad a1"],
        [a, 42, "[1]"],
      ]);
      expect(recordsB?.map((r) => [r.path, r.lineNo, r.text])).toEqual([
        [b, 61, "bad b1"],
        [b, 62, "bad b2"],
        [b, 63, "{}"],
      ]);
    }
  });

  it("a re-run from another working directory, by a relative path, skips the file", async () => {
    await fx.file("cwd/x/day.jsonl", fx.tweets.slice(100, 130));
    const t = await fx.targets();
    const flags = ["load", "--db", "all", "--json", ...urlFlags(t)];
    const first = await startCli([...flags, "x/day.jsonl"], { cwd: join(fx.dir, "cwd") }).done;
    expect(JSON.parse(first.stdout).totals).toMatchObject({ tweets: 90, failed: 0 });
    const again = await startCli([...flags, "cwd/x/day.jsonl"], { cwd: fx.dir }).done;
    const files = JSON.parse(again.stdout).files as Array<{ status: string }>;
    expect(files.map((f) => f.status)).toEqual(["skipped", "skipped", "skipped"]);
  });
});

describe("a file repaired in place after it was loaded", () => {
  for (const batched of [false, true]) {
    it(`is refused with both contents named; --replace loads the new content alone${batched ? " (normalized --batch)" : ""}`, async () => {
      const complete = fx.tweets.slice(130, 230);
      const day = await fx.file(`repaired-${batched}/day.jsonl`, [
        ...complete.slice(0, 60),
        (complete[60] as string).slice(0, 500),
      ]);
      const t = await fx.targets();
      const rejects = join(fx.dir, `repaired-rejects-${batched}`);
      const first = await load(t, [day], rejects, { loaders: loadersFor(batched) });
      expect(first.totals).toMatchObject({ tweets: 180, rejects: 3, failed: 0 });
      const truncatedCounts = await allCounts(t);

      await writeFile(day, `${complete.join("\n")}\n`);
      const refused = await load(t, [day], rejects, { loaders: loadersFor(batched) });
      for (const f of refused.files) {
        expect(f.status).toBe("failed");
        expect(f.error).toMatch(
          new RegExp(
            `^${day.replaceAll(".", "\\.")} changed since it was loaded on \\d{4}-.*\\(then \\d+ bytes, SHA-1 [0-9a-f]{12}; now \\d+ bytes, SHA-1 [0-9a-f]{12}\\): not loaded\\. --replace .*; --force`,
          ),
        );
      }
      expect(await allCounts(t)).toEqual(truncatedCounts);

      const replaced = await load(t, [day], rejects, {
        loaders: loadersFor(batched),
        replace: true,
      });
      expect(replaced.totals).toMatchObject({ tweets: 300, rejects: 0, failed: 0 });
      for (const f of replaced.files) expect(f.note).toMatch(/replaced the earlier load/);
      // Exactly the rows of one clean load of the repaired file, and one journal row.
      expect(await allCounts(t)).toEqual(
        await fx.cleanCounts([day], { loaders: loadersFor(batched) }),
      );
      const skipped = await load(t, [day], rejects, { loaders: loadersFor(batched) });
      expect(skipped.files.map((f) => f.status)).toEqual(["skipped", "skipped", "skipped"]);
    });
  }
});

describe("a database made by an older tweetload (journal keyed by base name, no load_id)", () => {
  it("is refused in one sentence; applying the schema again upgrades it and the load works", async () => {
    const old = await freshDatabase("normalized_batch");
    try {
      await withClient(old.url, async (c) => {
        await c.query("DROP FUNCTION tweetload.forget_load(bigint)");
        await c.query("ALTER TABLE tweetload.journal DROP COLUMN path, DROP COLUMN load_id");
        await c.query("ALTER TABLE tweetload.journal ADD PRIMARY KEY (file_name, content_hash)");
        for (const table of [
          "users",
          "tweets",
          "tweet_urls",
          "tweet_mentions",
          "tweet_tags",
          "tweet_media",
        ]) {
          await c.query(`ALTER TABLE ${table} DROP COLUMN load_id`);
        }
      });
      const file = await fx.file("upgrade/day.jsonl", fx.tweets.slice(230, 260));
      const flags = ["load", "--db", "normalized_batch", `--normalized-batch-url=${old.url}`];
      const refused = await startCli([...flags, file]).done;
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/no load journal with file paths.*apply the schema again/);
      await withClient(old.url, (c) => applySchema(c, "normalized_batch"));
      await withClient(old.url, (c) => applySchema(c, "normalized_batch"));
      const loaded = await startCli([...flags, "--json", file]).done;
      expect(JSON.parse(loaded.stdout).totals).toMatchObject({ tweets: 30, failed: 0 });
      const { rows } = await withClient(old.url, (c) =>
        c.query<{ n: number }>("SELECT count(*)::int AS n FROM tweets WHERE load_id IS NOT NULL"),
      );
      expect(rows[0]?.n).toBe(30);
    } finally {
      await old.drop();
    }
  });
});

// A download moved to another folder (or a folder mounted elsewhere) is the same file.
describe("the same content moved to another folder", () => {
  it("is skipped as already loaded, naming where it was loaded from", async () => {
    const a = await fx.file("moved-from/day.jsonl", fx.tweets.slice(260, 280));
    const t = await fx.targets();
    await load(t, [a], join(fx.dir, "moved-rejects"));
    await mkdir(join(fx.dir, "moved-to"), { recursive: true });
    const b = join(fx.dir, "moved-to", "day.jsonl");
    await cp(a, b);
    const result = await load(t, [b], join(fx.dir, "moved-rejects"));
    for (const f of result.files) {
      expect(f.status).toBe("skipped");
      expect(f.note).toContain(`from ${a}`);
    }
  });
});

describe("--replace of a file that shares tweets with another file", () => {
  it("swaps the file's rows; in pg_normalized the shared tweets it owned return with --force of the other file", async () => {
    const tw = fx.tweets.slice(280, 300);
    const a = await fx.file("shared/a.jsonl", tw.slice(0, 10));
    const b = await fx.file("shared/b.jsonl", tw.slice(5, 15));
    const t = await fx.targets();
    const rejects = join(fx.dir, "shared-rejects");
    expect((await load(t, [a, b], rejects)).totals.failed).toBe(0);
    await writeFile(a, `${[...tw.slice(0, 5), ...tw.slice(15, 20)].join("\n")}\n`);
    expect((await load(t, [a], rejects, { replace: true })).totals.failed).toBe(0);

    const want = await fx.cleanCounts([a, b]);
    const got = await allCounts(t);
    expect(got.denormalized).toEqual(want.denormalized);
    expect(got.normalized_batch).toEqual(want.normalized_batch);
    // pg_normalized: tweets 5-9 belonged to a's first load (it inserted them first), so they
    // went with it although b holds them too; users and urls stay (a shared dictionary).
    expect(got.normalized?.tweets).toBe((want.normalized?.tweets as number) - 5);
    const again = await load({ normalized: t.normalized }, [b], rejects, { force: true });
    expect(again.totals.failed).toBe(0);
    expect((await allCounts(t, ["normalized"])).normalized).toEqual(want.normalized);
  });
});
