import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadQueries } from "../../src/check/queries.js";
import { queryRows, withCheckClient } from "../../src/check/run-query.js";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind } from "../../src/db/kinds.js";
import { applySchema } from "../../src/db/schema.js";
import { loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import { json, tweet } from "../unit/transform/tweet-fixture.js";
import { adminUrl, freshDatabase, freshTargets } from "./helpers/database.js";

// Repeated rows of one tweet made the tag views and the per-batch-size
// dedupe of normalized_batch misbehave. These tests load real files through runLoad.

let dir: string;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-repeated-"));
});
afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

const TAGS = ["coronavirus", "covid", "mask"];

/** Tweet `n` (ids above 2^53) as one JSON line; `copy` changes only its retweet count. */
function line(n: number, copy = 0): string {
  const id = (1_344_795_502_917_291_104n + BigInt(n)).toString();
  // The id as an integer literal (JSON.stringify would round a Number of it).
  return json(
    tweet({
      id: "ID",
      id_str: id,
      retweet_count: copy,
      text: `tweet ${n}`,
      entities: {
        hashtags: TAGS.map((text) => ({ text })),
        urls: [],
        user_mentions: [],
        symbols: [],
      },
    }),
  ).replace('"id":"ID"', `"id":${id}`);
}

const count = async (url: string, sql: string): Promise<number> =>
  withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]?.n));

describe("a tweet repeated inside a file", () => {
  it("regression: 20,000 copies of one tweet made the tag co-occurrence refresh quadratic", async () => {
    const file = join(dir, "one-tweet-20000-times.jsonl");
    await writeFile(file, `${Array.from({ length: 20_000 }, () => line(1)).join("\n")}\n`);
    const { targets, drop } = await freshTargets();
    cleanups.push(drop);
    // A bound no quadratic plan meets: the old views paired each of the 60,000 (tweet, tag)
    // rows with all the others (3.6e9 rows), minutes of CPU. Linear plans take milliseconds.
    await withClient(adminUrl(), async (admin) => {
      for (const kind of DB_KINDS) {
        const name = new URL(targets[kind]).pathname.slice(1);
        await admin.query(`ALTER DATABASE "${name}" SET statement_timeout = '8s'`);
      }
    });
    const result = await runLoad({
      files: [file],
      dbs: [...DB_KINDS],
      targets,
      jobs: 1,
      batchSize: 1000,
      loaders: loadersFor(true),
    });
    expect(result.files.map((f) => [f.db, f.status, f.tweets])).toEqual(
      DB_KINDS.map((kind) => [kind, "loaded", 20_000]),
    );
    const queries = await loadQueries();
    const answers: Record<string, string[][]> = {};
    for (const kind of DB_KINDS) {
      await withCheckClient(targets[kind], async (client) => {
        if (kind !== "denormalized") {
          await client.query("REFRESH MATERIALIZED VIEW tweet_tags_total");
          await client.query("REFRESH MATERIALIZED VIEW tweet_tags_cooccurrence");
        }
        expect(
          await queryRows(client, "SELECT * FROM tweet_tags_cooccurrence ORDER BY tag1, tag2"),
        ).toEqual(TAGS.flatMap((a) => TAGS.map((b) => `#${a}|#${b}|1`)));
        expect(await queryRows(client, "SELECT * FROM tweet_tags_total ORDER BY row")).toEqual(
          TAGS.map((tag, i) => `${i + 1}|#${tag}|1`),
        );
        answers[kind] = [];
        for (const q of queries) answers[kind].push(await queryRows(client, q.sql));
      });
    }
    expect(answers.normalized_batch).toEqual(answers.normalized);
    expect(answers.denormalized).toEqual(answers.normalized);
    expect(answers.normalized?.[0]).toEqual(["1"]);
  }, 120_000);

  // Twenty tweets, tweet n on (n % 4) + 1 lines, the copies spread over the file, each copy
  // with its own retweet count: 50 lines.
  const copies = Array.from({ length: 20 }, (_, n) => (n % 4) + 1);
  const lines = copies
    .flatMap((times, n) => Array.from({ length: times }, (_, copy) => ({ n, copy })))
    .sort((a, b) => a.copy - b.copy || ((a.n * 7) % 20) - ((b.n * 7) % 20))
    .map(({ n, copy }) => line(n, copy));

  async function loadAt(kind: DbKind, batchSize: number, batched: boolean) {
    const file = join(dir, "repeats.jsonl");
    await writeFile(file, `${lines.join("\n")}\n`);
    const db = await freshDatabase(kind);
    cleanups.push(db.drop);
    const result = await runLoad({
      files: [file],
      dbs: [kind],
      targets: { [kind]: db.url },
      jobs: 1,
      batchSize,
      loaders: loadersFor(batched),
    });
    expect(result.files[0]?.status).toBe("loaded");
    expect(result.files[0]?.tweets).toBe(lines.length);
    return db.url;
  }

  it.each([1, 7, 1000, 1e9])(
    "normalized_batch keeps every line of a repeated tweet at --batch-size %d",
    async (batchSize) => {
      const url = await loadAt("normalized_batch", batchSize, false);
      expect(await count(url, "SELECT count(*) AS n FROM tweets")).toBe(lines.length);
      expect(await count(url, "SELECT count(*) AS n FROM tweet_tags")).toBe(
        lines.length * TAGS.length,
      );
      expect(await count(url, "SELECT count(DISTINCT id_tweets) AS n FROM tweets")).toBe(20);
      expect(await count(url, "SELECT count(*) AS n FROM tweet_tags_cooccurrence")).toBe(9);
      expect(await count(url, "SELECT sum(total) AS n FROM tweet_tags_total")).toBe(60);
    },
  );

  it.each([
    [1, false],
    [1, true],
    [7, true],
    [1000, true],
  ])(
    "normalized keeps the first line of a repeated tweet (--batch-size %d, --batch %s)",
    async (batchSize, batched) => {
      const url = await loadAt("normalized", batchSize, batched);
      expect(await count(url, "SELECT count(*) AS n FROM tweets")).toBe(20);
      expect(await count(url, "SELECT count(*) AS n FROM tweet_tags")).toBe(20 * TAGS.length);
      // Every first line has retweet count 0, every later copy more.
      expect(await count(url, "SELECT max(retweet_count) AS n FROM tweets")).toBe(0);
    },
  );

  it("applying the schema again replaces normalized_batch's old quadratic views", async () => {
    const db = await freshDatabase("normalized_batch");
    cleanups.push(db.drop);
    const definitions = () =>
      withClient(db.url, async (c) =>
        (
          await c.query<{ name: string; pairs: boolean }>(
            `SELECT matviewname AS name, definition LIKE '%pairs%' AS pairs
               FROM pg_matviews ORDER BY 1`,
          )
        ).rows.map((r) => `${r.name} ${r.pairs}`),
      );
    await withClient(db.url, (c) =>
      c.query(`DROP MATERIALIZED VIEW tweet_tags_cooccurrence;
        CREATE MATERIALIZED VIEW tweet_tags_cooccurrence AS
        SELECT t1.tag AS tag1, t2.tag AS tag2, count(DISTINCT t1.id_tweets) AS total
          FROM tweet_tags t1 JOIN tweet_tags t2 ON t2.id_tweets = t1.id_tweets
         GROUP BY t1.tag, t2.tag`),
    );
    expect(await definitions()).toContain("tweet_tags_cooccurrence false");
    await withClient(db.url, (c) => applySchema(c, "normalized_batch"));
    expect(await definitions()).toEqual(["tweet_tags_cooccurrence true", "tweet_tags_total true"]);
  });
});
