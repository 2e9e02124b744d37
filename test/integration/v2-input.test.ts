import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runChecks } from "../../src/check/run-checks.js";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type Targets } from "../../src/db/kinds.js";
import { detectGeoMode } from "../../src/db/schema.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import type { ArchiveFormat } from "../../src/generate/v2-lines.js";
import { loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import { freshDatabase, freshTargets } from "./helpers/database.js";
import { twinQueries, type UserColumns } from "./v2-twins-queries.js";

// The same generated tweets as v1.1 lines, v2 pages and flattened v2 tweets, loaded by
// every loader, sequentially and in parallel, give the same rows and the same answers.

const FORMATS: readonly ArchiveFormat[] = ["v1", "v2-pages", "v2-flat"];
let dir: string;
const files = new Map<ArchiveFormat, string[]>();
const drops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-v2-input-"));
  for (const format of FORMATS) {
    files.set(
      format,
      await generateArchives({
        outDir: join(dir, format),
        files: 2,
        tweetsPerFile: 120,
        seed: 11,
        format,
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all(drops.map((drop) => drop()));
  await rm(dir, { recursive: true, force: true });
});

/** Loads `format` into three fresh databases (and a fourth for --batch); their URLs. */
async function loaded(format: ArchiveFormat, jobs: number) {
  const fresh = await freshTargets();
  const batched = await freshDatabase("normalized");
  drops.push(fresh.drop, batched.drop);
  const run = async (targets: Targets, batch: boolean) => {
    const dbs = batch ? (["normalized"] as const) : DB_KINDS;
    const result = await runLoad({
      files: files.get(format) ?? [],
      dbs,
      targets,
      jobs,
      batchSize: 50,
      loaders: loadersFor(batch),
    });
    expect(result.files.map((f) => f.status)).toEqual(result.files.map(() => "loaded"));
    expect(result.totals.tweets).toBe(dbs.length * 243); // 2 × 120 + 3 repeated
  };
  await run(fresh.targets, false);
  await run({ ...fresh.targets, normalized: batched.url }, true);
  return { targets: fresh.targets, batched: batched.url };
}

async function rowsOf(url: string, kind: "normalized" | "denormalized", users: UserColumns) {
  return withClient(url, async (client) => {
    const geo = (await detectGeoMode(client)) === "postgis" ? "ST_AsText(geo)" : "geo";
    const out: Record<string, unknown[]> = {};
    for (const [name, sql] of Object.entries(twinQueries(kind, geo, users))) {
      out[name] = (await client.query({ text: sql, rowMode: "array" })).rows;
    }
    return out;
  });
}

describe.each([1, 2])("v1.1, v2 pages and flattened v2 with --jobs %i", (jobs) => {
  const dbs = new Map<ArchiveFormat, Awaited<ReturnType<typeof loaded>>>();
  beforeAll(async () => {
    for (const format of FORMATS) dbs.set(format, await loaded(format, jobs));
  }, 300_000);

  it("give identical answers to the checker queries in all three databases", async () => {
    const answers = new Map<ArchiveFormat, unknown>();
    for (const format of FORMATS) {
      const report = await runChecks(dbs.get(format)?.targets as Targets, {
        compare: "each-other",
      });
      expect(report.ok, `${format}: the databases disagree`).toBe(true);
      answers.set(
        format,
        report.queries.map((q) => DB_KINDS.map((db) => q.cells[db].rows)),
      );
    }
    expect(
      (answers.get("v1") as unknown[][]).flat().every((rows) => (rows as string[]).length > 0),
    ).toBe(true);
    expect(answers.get("v2-pages")).toEqual(answers.get("v1"));
    expect(answers.get("v2-flat")).toEqual(answers.get("v1"));
  });

  it("give identical rows in every table of pg_normalized, per tweet and --batch", async () => {
    for (const which of ["normalized", "batched"] as const) {
      const url = (f: ArchiveFormat) =>
        (which === "batched" ? dbs.get(f)?.batched : dbs.get(f)?.targets.normalized) as string;
      const v1 = await rowsOf(url("v1"), "normalized", jobs === 1 ? "all" : "ids");
      expect(v1.tweets?.length).toBe(240);
      expect(await rowsOf(url("v2-flat"), "normalized", jobs === 1 ? "all" : "ids")).toEqual(v1);
      const paged = jobs === 1 ? "no-counts" : "ids";
      expect(await rowsOf(url("v2-pages"), "normalized", paged)).toEqual(
        await rowsOf(url("v1"), "normalized", paged),
      );
    }
  });

  it("give identical rows in the views of pg_denormalized (one row per tweet)", async () => {
    const url = (f: ArchiveFormat) => dbs.get(f)?.targets.denormalized as string;
    const v1 = await rowsOf(url("v1"), "denormalized", "all");
    expect(await rowsOf(url("v2-flat"), "denormalized", "all")).toEqual(v1);
    expect(await rowsOf(url("v2-pages"), "denormalized", "no-counts")).toEqual(
      await rowsOf(url("v1"), "denormalized", "no-counts"),
    );
    for (const format of FORMATS) {
      const count = await withClient(url(format), (c) =>
        c.query("SELECT count(*)::int AS n FROM tweets_jsonb"),
      );
      expect(count.rows[0].n).toBe(243);
    }
  });
});
