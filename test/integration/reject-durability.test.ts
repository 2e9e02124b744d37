import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind, type Targets } from "../../src/db/kinds.js";
import { loadersFor } from "../../src/load/registry.js";
import { DurabilityFixture, isRoot, load, rejectFiles } from "./durability-fixture.js";
import { allCounts, startCli, urlFlags } from "./fault-helpers.js";

// A reject file that cannot be written must fail its file before the file
// commits, with a sentence naming the reject path and the cause, and the other files go on.
const fx = new DurabilityFixture();
/** 120 tweets with every third followed by a cut copy of itself (40 rejects, ~140 KB). */
let manyRejects: string;
/** 60 other tweets, no rejects. */
let clean: string;
/** Rows of a clean load of `clean` alone. */
let cleanOnly: Awaited<ReturnType<DurabilityFixture["cleanCounts"]>>;

beforeAll(async () => {
  await fx.setUp("tweetload-rejects-", 180);
  const lines: string[] = [];
  fx.tweets.slice(0, 120).forEach((tweet, i) => {
    lines.push(tweet);
    if (i % 3 === 0) lines.push(tweet.slice(0, -40));
  });
  manyRejects = await fx.file("many-rejects.jsonl", lines);
  clean = await fx.file("clean.jsonl", fx.tweets.slice(120));
  cleanOnly = await fx.cleanCounts([clean]);
});
afterAll(() => fx.tearDown());

if (!isRoot) {
  console.warn(
    "[tweetload tests] reject-durability: SKIPPED the tmpfs cases (mounting needs root)",
  );
}

/** Journal rows per database, by file name. */
async function journals(t: Awaited<ReturnType<DurabilityFixture["targets"]>>) {
  const out: Record<string, string[]> = {};
  for (const db of DB_KINDS) {
    out[db] = await withClient(t[db], async (c) =>
      (
        await c.query<{ f: string }>("SELECT file_name AS f FROM tweetload.journal ORDER BY 1")
      ).rows.map((r) => r.f),
    );
  }
  return out;
}

/**
 * What the report of the file whose rejects could not be written must say: the COPY
 * loaders rolled it back (failed, 0 tweets); the per-tweet loader and --batch keep what
 * they had committed, which the report gives exactly (partial), beside the clean file's 60.
 */
async function stoppedAsHeld(t: Partial<Targets>, db: DbKind) {
  if (db !== "normalized") return { status: "failed", tweets: 0 };
  const tweets = ((await allCounts(t, [db]))[db]?.tweets ?? 0) - 60;
  return { status: tweets > 0 ? "partial" : "failed", tweets };
}

describe.skipIf(!isRoot)("reject file on a full disk (a 100 KB tmpfs)", () => {
  for (const [label, extra] of [
    ["sequential", { jobs: 1 }],
    ["-j 2", { jobs: 2 }],
    ["normalized --batch", { jobs: 2, loaders: loadersFor(true) }],
  ] as const) {
    it(`fails and rolls back only the file whose rejects do not fit, ${label}`, async () => {
      const t = await fx.targets();
      const small = await fx.tmpfs(`full-${label.replace(/\W/g, "")}`, "size=100k");
      const result = await load(t, [manyRejects, clean], join(small, "rejects"), extra);
      for (const db of DB_KINDS) {
        const many = result.files.find((f) => f.db === db && f.file === manyRejects);
        expect(many).toMatchObject(await stoppedAsHeld(t, db));
        expect(many?.error).toMatch(
          /^cannot write the reject file .*many-rejects\.jsonl\.[0-9a-f]{8}\..*\.rejects\.jsonl \(ENOSPC: no space left on device.*\), so the file was stopped before it finished: .*--rejects/,
        );
        expect(many?.rejectsFile).toBeUndefined();
        expect(result.files.find((f) => f.db === db && f.file === clean)).toMatchObject({
          status: "loaded",
          tweets: 60,
        });
      }
      // The journal lists only the clean file; the atomic loaders hold its rows alone.
      const names = await journals(t);
      for (const db of DB_KINDS) expect(names[db]).toEqual(["clean.jsonl"]);
      const got = await allCounts(t, ["denormalized", "normalized_batch"]);
      expect(got).toEqual({
        denormalized: cleanOnly.denormalized,
        normalized_batch: cleanOnly.normalized_batch,
      });
      // No torn reject file is left behind.
      expect([...(await rejectFiles(join(small, "rejects"))).keys()]).toEqual([]);

      // With room for the rejects, the same command finishes the file: every reject kept.
      const again = await load(t, [manyRejects, clean], join(fx.dir, `room-${label}`), extra);
      expect(again.totals.failed).toBe(0);
      const files = await rejectFiles(join(fx.dir, `room-${label}`));
      expect([...files.values()].map((records) => records.length)).toEqual([40, 40, 40]);
      for (const db of DB_KINDS) {
        expect(again.files.find((f) => f.db === db && f.file === manyRejects)).toMatchObject({
          status: "loaded",
          tweets: 120,
          rejects: 40,
        });
      }
    });
  }
});

describe.skipIf(!isRoot)("reject directory on a read-only file system", () => {
  it("fails the file with a sentence naming the path and EROFS; the other file loads", async () => {
    const t = await fx.targets();
    const ro = await fx.tmpfs("read-only", "size=16k,ro");
    const result = await load(t, [manyRejects, clean], ro, { jobs: 2 });
    for (const db of DB_KINDS) {
      const many = result.files.find((f) => f.db === db && f.file === manyRejects);
      expect(many).toMatchObject(await stoppedAsHeld(t, db));
      expect(many?.error).toMatch(/cannot write the reject file .*read-only file system/);
      expect(result.files.find((f) => f.db === db && f.file === clean)?.status).toBe("loaded");
    }
    const names = await journals(t);
    for (const db of DB_KINDS) expect(names[db]).toEqual(["clean.jsonl"]);
  });
});

describe("--rejects in a directory that can never be made (/proc/x)", () => {
  it("fails the file at once with one sentence instead of spinning; the other file loads", async () => {
    const t = await fx.targets();
    const started = Date.now();
    const cli = startCli([
      "load",
      "--db",
      "denormalized",
      "--rejects",
      "/proc/tweetload-x",
      ...urlFlags({ denormalized: t.denormalized }),
      manyRejects,
      clean,
    ]);
    // Before the fix it spun at 100% CPU forever: stop it rather than leave it running.
    const timer = setTimeout(() => cli.child.kill("SIGKILL"), 60_000);
    const r = await cli.done.finally(() => clearTimeout(timer));
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /failed:? .*many-rejects\.jsonl → denormalized: cannot write the reject file \/proc\/tweetload-x\/.* \(ENOENT/,
    );
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expect((await journals(t)).denormalized).toEqual(["clean.jsonl"]);
  }, 90_000);
});
