import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { startCli, urlFlags } from "./fault-helpers.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";
import { v1 } from "./line-rules-fixture.js";

// The tag views' refresh after a load ran unbounded: a load sat at "3 of 3 files done" for
// minutes. It now runs under --refresh-timeout; here a reader that holds the view in a
// long transaction makes the refresh wait past it, as a slow refresh would.

let dir: string;
let file: string;
let db: FreshDatabase;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-refresh-"));
  file = join(dir, "tweets.jsonl");
  await writeFile(file, `${Array.from({ length: 50 }, (_, n) => v1(n)).join("\n")}\n`);
  db = await freshDatabase("normalized_batch");
});
afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const tagTotals = () =>
  withClient(db.url, async (c) => {
    const { rows } = await c.query<{ n: string }>("SELECT count(*) AS n FROM tweet_tags_total");
    return Number(rows[0]?.n);
  });

describe("the watchdog on the views' refresh (load --refresh-timeout, db refresh)", () => {
  it("keeps the rows, says the views are stale and how to refresh them, exits 3; db refresh refreshes them", async () => {
    const reader = new pg.Client({ connectionString: db.url });
    await reader.connect();
    try {
      await reader.query("BEGIN");
      await reader.query("SELECT * FROM tweet_tags_total LIMIT 1");
      const args = ["load", "--db", "normalized_batch", "-j", "1", "--refresh-timeout", "2s"];
      const run = await startCli([
        ...args,
        "--rejects",
        join(dir, "rejects"),
        ...urlFlags({ normalized_batch: db.url }),
        file,
      ]).done;
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toMatch(
        /the tag views of normalized_batch are stale, not refreshed: their refresh ran past --refresh-timeout and was cancelled \(canceling statement due to statement timeout\); its rows are in\. `tweetload db refresh --db normalized_batch` refreshes them/,
      );
      const rows = await withClient(db.url, (c) =>
        c.query<{ n: string }>("SELECT count(*) AS n FROM tweets"),
      );
      expect(Number(rows.rows[0]?.n)).toBe(50);
    } finally {
      await reader.query("COMMIT");
      await reader.end();
    }
    expect(await tagTotals()).toBe(0);
    const refresh = await startCli([
      "db",
      "refresh",
      "--db",
      "normalized_batch",
      ...urlFlags({ normalized_batch: db.url }),
    ]).done;
    expect(refresh.code, refresh.stderr).toBe(0);
    expect(refresh.stdout).toMatch(
      /pg_normalized_batch: refreshed public\.tweet_tags_cooccurrence, public\.tweet_tags_total in [\d.]+ s/,
    );
    expect(await tagTotals()).toBeGreaterThan(0);
  });
});
