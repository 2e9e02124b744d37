import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveExpected, factsOfArchives } from "../../src/check/derive-expected.js";
import type { Answers } from "../../src/check/expected-answers.js";
import { loadQueries } from "../../src/check/queries.js";
import { queryRows, withCheckClient } from "../../src/check/run-query.js";
import type { DbKind } from "../../src/db/kinds.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { counts, startCli, urlFlags } from "../integration/fault-helpers.js";
import { freshDatabase } from "../integration/helpers/database.js";
import { isFlat, sampleMemory } from "./memory-sampler.js";

// The soak test: many tweets in many files at -j 2 into each loader, memory
// sampled every second, rows checked. Opt-in, minutes long:
//   TWEETLOAD_SOAK=1 npx vitest run --project soak
// TWEETLOAD_SOAK_TWEETS (default 1,000,000) and TWEETLOAD_SOAK_FILES (default 100) size it.

const TWEETS = Number(process.env.TWEETLOAD_SOAK_TWEETS ?? 1_000_000);
const FILES = Number(process.env.TWEETLOAD_SOAK_FILES ?? 100);

interface Case {
  name: string;
  db: DbKind;
  flags: string[];
}

const CASES: Case[] = [
  { name: "denormalized", db: "denormalized", flags: [] },
  { name: "normalized", db: "normalized", flags: [] },
  { name: "normalized --batch", db: "normalized", flags: ["--batch"] },
  { name: "normalized_batch", db: "normalized_batch", flags: [] },
];

let dir: string;
let expected: Answers;
let lines = 0;
const drops: Array<() => Promise<void>> = [];
const figures: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-soak-"));
  const started = performance.now();
  const paths = await generateArchives({
    outDir: dir,
    files: FILES,
    tweetsPerFile: Math.ceil(TWEETS / FILES),
    seed: "soak",
  });
  for await (const _ of factsOfArchives(paths)) lines++;
  // The answers of a clean load, derived without any database or loader.
  expected = await deriveExpected([dir]);
  console.log(
    `[soak] ${FILES} files, ${lines.toLocaleString("en-US")} tweet lines, generated and derived in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}, 3_600_000);

afterAll(async () => {
  for (const drop of drops) await drop();
  await rm(dir, { recursive: true, force: true });
  console.log(["[soak] figures", ...figures].join("\n"));
});

describe(`soak: ${TWEETS.toLocaleString("en-US")} tweets in ${FILES} files at -j 2`, () => {
  const rowsOf: Partial<Record<string, Record<string, number>>> = {};

  it.each(CASES)(
    "$name: memory stays flat and the answers are a clean load's",
    async ({ name, db, flags }) => {
      const target = await freshDatabase(db);
      drops.push(target.drop);
      const started = performance.now();
      const cli = startCli([
        "load",
        "--db",
        db,
        "-j",
        "2",
        ...flags,
        ...urlFlags({ [db]: target.url }),
        dir,
      ]);
      const memory = sampleMemory(cli.child.pid as number);
      const { code, stderr } = await cli.done;
      const samples = memory.stop();
      const seconds = (performance.now() - started) / 1000;
      const peakOf = (part: number[]) => (part.length > 0 ? Math.max(...part) : 0);
      const peak = peakOf(samples);
      figures.push(
        `  ${name.padEnd(20)} ${seconds.toFixed(1).padStart(7)} s  peak RSS ${peak.toFixed(0).padStart(5)} MB  ` +
          `(${samples.length} samples, first half ${peakOf(samples.slice(0, samples.length >> 1)).toFixed(0)} MB, ` +
          `second half ${peakOf(samples.slice(samples.length >> 1)).toFixed(0)} MB)`,
      );
      expect(code, stderr).toBe(0);
      expect(isFlat(samples), samples.map((s) => s.toFixed(0)).join(" ")).toBe(true);

      const rows = await counts(db, target.url);
      rowsOf[name] = rows;
      expect(rows["tweetload.journal"]).toBe(FILES);
      // One row per tweet line where there are no keys, one per tweet where there are.
      const distinct = Number(expected["01_tweets"]?.[0]);
      const tweets = db === "denormalized" ? rows.tweets_jsonb : rows.tweets;
      expect(tweets).toBe(db === "normalized" ? distinct : lines);
      figures[figures.length - 1] += `  ${tweets?.toLocaleString("en-US")} tweet rows`;
      // Each case as it ends too: a soak that fails later still shows what it measured.
      console.log(`[soak]${figures[figures.length - 1]}`);
      const queries = await loadQueries();
      const answers: Answers = {};
      await withCheckClient(target.url, async (client) => {
        for (const q of queries) answers[q.name] = await queryRows(client, q.sql);
      });
      expect(answers).toEqual(expected);
      if (name === "normalized --batch") expect(rows).toEqual(rowsOf.normalized);
    },
    14_400_000,
  );
});
