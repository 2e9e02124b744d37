import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import type { DbKind } from "../../src/db/kinds.js";
import { loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";
import { type ExpectedUser, writeUserArchives } from "./users-fixture.js";

// The contract's user columns (docs/contract/databases.md), the url as text (pg_normalized
// keeps an id into urls).
const CONTRACT_COLUMNS =
  "id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count, " +
  "statuses_count, protected, verified, screen_name, name, location, description, " +
  "withheld_in_countries";
const DUMPS: Record<DbKind, string> = {
  normalized: `SELECT ${CONTRACT_COLUMNS} FROM (
                 SELECT u.*, urls.url FROM users u LEFT JOIN urls USING (id_urls)) AS u
                ORDER BY id_users`,
  denormalized: `SELECT ${CONTRACT_COLUMNS} FROM users ORDER BY id_users`,
  // Every snapshot is kept there: one per user by the rule, as sql/10_* takes it.
  normalized_batch: `SELECT ${CONTRACT_COLUMNS} FROM (
                       SELECT DISTINCT ON (id_users) * FROM users
                        ORDER BY id_users, hydrated DESC NULLS LAST, updated_at DESC NULLS LAST,
                                 snapshot_tweet_id DESC NULLS LAST) AS u
                      ORDER BY id_users`,
};

/** Every user row as one line of text, sorted by id. */
async function usersDump(kind: DbKind, url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    await client.query("SET TimeZone = 'UTC'");
    const { rows } = await client.query({ text: DUMPS[kind], rowMode: "array" });
    return rows.map((row) => JSON.stringify(row));
  });
}

/** What the fixture's model says about each user, as pg_normalized shows it. */
async function snapshotsOf(url: string): Promise<ExpectedUser[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<ExpectedUser>(
      `SELECT id_users::text AS id, screen_name AS "screenName", name,
              statuses_count AS "statusesCount", hydrated,
              snapshot_tweet_id::text AS "snapshotTweetId"
         FROM users ORDER BY id_users`,
    );
    return rows;
  });
}

describe("users: the snapshot of the latest tweet, whatever the order of loading", () => {
  let dir: string;
  let files: string[];
  let expected: ExpectedUser[];
  const databases: FreshDatabase[] = [];

  async function load(kind: DbKind, order: string[], jobs: number, batched = false) {
    const db = await freshDatabase(kind);
    databases.push(db);
    const result = await runLoad({
      files: order,
      dbs: [kind],
      targets: { normalized: "", denormalized: "", normalized_batch: "", [kind]: db.url },
      jobs,
      // Batches of 7: many batch boundaries, and users that meet in concurrent batches.
      batchSize: 7,
      loaders: loadersFor(batched),
    });
    expect(result.files.map((f) => [f.status, f.error])).toEqual(
      order.map(() => ["loaded", undefined]),
    );
    if (batched) expect(result.files.map((f) => f.retries)).toEqual(order.map(() => 0));
    return db.url;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tweetload-users-"));
    ({ paths: files, expected } = await writeUserArchives(dir, {
      files: 6,
      tweets: 600,
      seed: 13,
    }));
  });

  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("fixture: ties on created_at, unhydrated-only users, and users seen both ways", () => {
    expect(expected).toHaveLength(40);
    expect(expected.filter((u) => !u.hydrated).length).toBeGreaterThan(5);
    expect(expected.filter((u) => u.hydrated).length).toBe(25);
  });

  it("per-tweet and --batch loads at -j 1, -j 4 and in reverse order give the rule's rows", async () => {
    const reversed = [...files].reverse();
    const loads = [
      ["per-tweet -j 1", await load("normalized", files, 1)],
      ["per-tweet -j 4", await load("normalized", files, 4)],
      ["per-tweet reversed", await load("normalized", reversed, 1)],
      ["--batch -j 1", await load("normalized", files, 1, true)],
      ["--batch -j 4", await load("normalized", files, 4, true)],
      ["--batch reversed -j 4", await load("normalized", reversed, 4, true)],
    ] as const;
    const reference = await usersDump("normalized", loads[0][1]);
    expect(reference).toHaveLength(40);
    for (const [name, url] of loads) {
      expect({ name, rows: await snapshotsOf(url) }).toEqual({ name, rows: expected });
      expect({ name, rows: await usersDump("normalized", url) }).toEqual({
        name,
        rows: reference,
      });
    }
  });

  it("the denormalized users view and pg_normalized_batch by the rule give the same rows", async () => {
    const normalized = await usersDump("normalized", await load("normalized", files, 1));
    const reversed = [...files].reverse();
    const denormalized = await load("denormalized", reversed, 4);
    expect(await usersDump("denormalized", denormalized)).toEqual(normalized);
    const batch = await load("normalized_batch", reversed, 4);
    expect(await usersDump("normalized_batch", batch)).toEqual(normalized);
  });
});
