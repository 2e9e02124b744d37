import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind } from "../../src/db/kinds.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import { loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import { targetsPool } from "./helpers/database.js";

// --max-rejects as a share (the default 1%) is judged on a file's final counts, by every
// loader in every mode: the three databases (and --batch) accept or fail the same files.

let dir: string;
const tweets: string[] = [];
const pool = targetsPool();
const targets = pool.targets;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-share-"));
  const [archive] = await generateArchives({
    outDir: join(dir, "gen"),
    files: 1,
    tweetsPerFile: 5000,
    seed: 2911,
  });
  for await (const line of readLines(archive as string)) tweets.push(line.text);
});

afterAll(async () => {
  await pool.dropAll();
  await rm(dir, { recursive: true, force: true });
});

const bad = (n: number) => `not a tweet ${n}`;

/** `count` tweets with a bad line at each of the (1-based) line numbers in `at`. */
function shape(count: number, at: number[]): string[] {
  const lines: string[] = [];
  let t = 0;
  const badAt = new Set(at);
  while (t < count || badAt.size > 0) {
    const lineNo = lines.length + 1;
    if (badAt.delete(lineNo)) lines.push(bad(lineNo));
    else lines.push(tweets[t++] as string);
  }
  return lines;
}

const range = (from: number, to: number, step = 1) =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/** The shapes: name, lines, and whether a 1% share accepts the file. */
const SHAPES: Array<{ name: string; lines: () => string[]; accepted: boolean }> = [
  // 0.55%: was loaded by denormalized, partial in normalized, failed in normalized_batch.
  {
    name: "2,011 lines, 11 bad between lines 1,001 and 1,100",
    lines: () => shape(2000, range(1001, 1091, 9)),
    accepted: true,
  },
  // 0.22%: normalized_batch failed it, the others loaded it.
  {
    name: "5,011 lines, 11 bad among the first 1,041",
    lines: () => shape(5000, range(1031, 1041)),
    accepted: true,
  },
  // 0.99% of the file, 30% of its first 100 lines.
  {
    name: "3,030 lines, 30 bad among the first 100",
    lines: () => shape(3000, range(1, 100, 3).slice(0, 30)),
    accepted: true,
  },
  // 1.48%: over the share only once its last lines are read.
  {
    name: "2,030 lines, the last 30 bad",
    lines: () => shape(2000, range(2001, 2030)),
    accepted: false,
  },
];

/** Tweets of the file each database holds (one row per line, or distinct ids). */
const inDatabase = (db: DbKind, url: string) =>
  withClient(url, async (c) => {
    const sql = {
      denormalized: "SELECT count(*) AS n FROM tweets_jsonb",
      normalized: "SELECT count(DISTINCT id_tweets) AS n FROM tweets",
      normalized_batch: "SELECT count(*) AS n FROM tweets",
    }[db];
    const journal = await c.query<{ n: string }>("SELECT count(*) AS n FROM tweetload.journal");
    return {
      rows: Number((await c.query<{ n: string }>(sql)).rows[0]?.n),
      journal: Number(journal.rows[0]?.n),
    };
  });

describe("--max-rejects 1% (the default) gives one verdict per file", () => {
  const cases = SHAPES.flatMap((s) =>
    [false, true].flatMap((batched) =>
      (["whole", "chunked"] as const).map((mode) => ({ ...s, batched, mode })),
    ),
  );
  it.each(cases)(
    "$name, $mode, --batch $batched: every database reaches the same verdict, and holds what it reports",
    async ({ name, lines, accepted, batched, mode }) => {
      const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, "-")}.jsonl`);
      const content = lines();
      await writeFile(file, `${content.join("\n")}\n`);
      const badLines = content.filter((l) => l.startsWith("not a tweet")).length;
      const t = await targets();
      const result = await runLoad({
        files: [file],
        dbs: [...DB_KINDS],
        targets: t,
        loaders: loadersFor(batched),
        jobs: mode === "whole" ? 1 : 2,
        chunkLines: 500,
        batchSize: 100,
      });
      for (const db of DB_KINDS) {
        const report = result.files.find((f) => f.db === db);
        const held = await inDatabase(db, t[db]);
        expect(held.rows, db).toBe(report?.tweets);
        if (accepted) {
          expect(report, db).toMatchObject({ status: "loaded", rejects: badLines });
          expect(report?.tweets, db).toBe(content.length - badLines);
          expect(held.journal, db).toBe(1);
        } else {
          expect(report?.error, db).toMatch(/lines are not tweets, more than --max-rejects 1%/);
          expect(["failed", "partial"], db).toContain(report?.status);
          expect(held.journal, db).toBe(0);
        }
      }
    },
  );
});
