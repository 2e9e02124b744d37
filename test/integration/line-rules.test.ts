import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveExpected, writeExpected } from "../../src/check/derive-expected.js";
import { runChecks } from "../../src/check/run-checks.js";
import { withClient } from "../../src/db/client.js";
import type { DbKind } from "../../src/db/kinds.js";
import type { FileReport } from "../../src/run/types.js";
import {
  checkEachOther,
  FOUR_LOADERS,
  fourDatabases,
  type LoaderName,
  loadEach,
  loadWith,
  rejectRecords,
  rejectsDirOf,
} from "./four-loaders.js";
import { page, READ_ALIKE, RULE_CASES, v1, v2 } from "./line-rules-fixture.js";

// docs/line-rules.md: a value that does not fit its column makes its line a reject whose
// reason names the field and the value, in every loader alike; the rest of the file loads,
// the three databases answer the checker alike, and a re-run skips the file.

const GOOD = [
  ...Array.from({ length: 40 }, (_, n) => v1(n)),
  ...Array.from({ length: 10 }, (_, n) => v2(40 + n)),
  page([v2(50), v2(51), v2(52)]),
];
// Good lines, bad lines and lines read alike, interleaved so every batch holds some of each.
const LINES = [...GOOD, ...RULE_CASES.map((c) => c.line), ...READ_ALIKE].sort(
  (a, b) => ((a.length * 7919) % 97) - ((b.length * 7919) % 97),
);
const lineNoOf = (line: string) => LINES.indexOf(line) + 1;

let dir: string;
let file: string;
let urls: Record<LoaderName, string>;
let drop: () => Promise<void>;
const reports = {} as Record<LoaderName, FileReport>;
const records = {} as Record<LoaderName, Awaited<ReturnType<typeof rejectRecords>>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-line-rules-"));
  file = join(dir, "rules.jsonl");
  await writeFile(file, `${LINES.join("\n")}\n`);
  ({ urls, drop } = await fourDatabases());
  Object.assign(reports, await loadEach(urls, file, dir));
  for (const c of FOUR_LOADERS) records[c.name] = await rejectRecords(reports[c.name]);
}, 120_000);
afterAll(async () => {
  await drop?.();
  await rm(dir, { recursive: true, force: true });
});

describe("one rule for what a line may hold, in all four loaders", () => {
  it("loads the file in every loader, rejecting the same lines for the same reasons and nothing else", () => {
    // GOOD: 50 tweet lines and a page of 3; READ_ALIKE: 12 tweet lines and a page of 3.
    const tweets = 53 + 15;
    for (const c of FOUR_LOADERS) {
      expect([c.name, reports[c.name].status, reports[c.name].tweets]).toEqual([
        c.name,
        "loaded",
        tweets,
      ]);
      expect(records[c.name], c.name).toEqual(records.denormalized);
    }
    expect(records.denormalized).toHaveLength(RULE_CASES.length);
  });

  it.each(RULE_CASES)("rejects $name, naming the field and the value, in every loader", (c) => {
    for (const loader of FOUR_LOADERS) {
      const record = records[loader.name].find((r) => r.lineNo === lineNoOf(c.line));
      expect(record?.error, loader.name).toBe(c.reason);
    }
  });

  it("the three databases answer every checker query alike, and as the checker's own derivation says", async () => {
    const expectedDir = join(dir, "expected");
    await writeExpected(expectedDir, await deriveExpected([file]));
    for (const normalized of ["normalized-per-tweet", "normalized-staged-batch"] as const) {
      const each = await checkEachOther(urls, normalized);
      expect(each.ok, JSON.stringify(each.queries.filter((q) => q.reference !== "majority"))).toBe(
        true,
      );
      const derived = await runChecks(
        {
          denormalized: urls.denormalized,
          normalized: urls[normalized],
          normalized_batch: urls["normalized-batch-copy"],
        },
        { expectedDir, compare: "expected" },
      );
      expect(derived.ok).toBe(true);
    }
  });

  it("reads the lines another reading could take otherwise alike in the three databases", async () => {
    const rows = {} as Record<LoaderName, string[]>;
    for (const c of FOUR_LOADERS) rows[c.name] = await tweetRows(c.db, urls[c.name]);
    expect(rows.denormalized.length).toBeGreaterThan(READ_ALIKE.length);
    for (const c of FOUR_LOADERS)
      expect(rows[c.name], c.name).toEqual(rows["normalized-per-tweet"]);
    const byId = new Map(rows.denormalized.map((r) => [r.split("|")[0], r.split("|")]));
    // 5.0 is the tweet 5 and the count 5; an id_str holding \u0000 reads without it.
    expect(byId.get("5")?.[6]).toBe("5");
    expect(byId.has("1346000000000000961")).toBe(true);
    // A v1.1 tweet's stray public_metrics is not read; a v2 tweet's stray retweet_count neither.
    expect(byId.get("1346000000000000962")?.[6]).toBe("");
    expect(byId.get("1346000000000000970")?.[6]).toBe("970");
  });

  it("skips the file on a re-run in every loader", async () => {
    for (const c of FOUR_LOADERS) {
      const again = await loadWith(c, urls[c.name], [file], rejectsDirOf(dir, c), {
        maxRejects: "100%",
      });
      expect([c.name, again.files[0]?.status]).toEqual([c.name, "skipped"]);
    }
  });
});

/**
 * Every tweet a database holds with what it links, one text row per tweet (its columns,
 * then its sorted tags, mentions, urls and media), for comparing the databases.
 */
async function tweetRows(db: DbKind, url: string): Promise<string[]> {
  const urlOf = (table: string) =>
    db === "normalized"
      ? `SELECT x.id_tweets, u.url FROM ${table} x JOIN urls u USING (id_urls)`
      : `SELECT id_tweets, url FROM ${table}`;
  const sql = `
    SELECT array_to_string(ARRAY[t.id_tweets::text, t.id_users::text, t.created_at::text,
      t.in_reply_to_status_id::text, t.in_reply_to_user_id::text, t.quoted_status_id::text,
      t.retweet_count::text, t.favorite_count::text, t.quote_count::text,
      t.withheld_copyright::text, t.withheld_in_countries::text, t.source, t.text,
      t.country_code::text, t.state_code::text, t.lang, t.place_name, t.geo::text,
      (SELECT string_agg(DISTINCT tag, ',' ORDER BY tag) FROM tweet_tags g WHERE g.id_tweets = t.id_tweets),
      (SELECT string_agg(DISTINCT id_users::text, ',') FROM tweet_mentions m WHERE m.id_tweets = t.id_tweets),
      (SELECT string_agg(DISTINCT url, ',') FROM (${urlOf("tweet_urls")}) u WHERE u.id_tweets = t.id_tweets),
      (SELECT string_agg(DISTINCT url, ',') FROM (${urlOf("tweet_media")}) u WHERE u.id_tweets = t.id_tweets)
    ], '|', '') AS row
    FROM (SELECT DISTINCT ON (id_tweets) * FROM tweets ORDER BY id_tweets) t ORDER BY t.id_tweets`;
  return withClient(url, async (client) => {
    await client.query("SET TimeZone = 'UTC'");
    const { rows } = await client.query<{ row: string }>(sql);
    return rows.map((r) => r.row);
  });
}
