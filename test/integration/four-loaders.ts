import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runChecks } from "../../src/check/run-checks.js";
import type { DbKind, Targets } from "../../src/db/kinds.js";
import { type LoaderId, loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import type { FileReport } from "../../src/run/types.js";
import { freshLoadRuns, TEST_LOADERS, type TestLoader } from "./helpers/loaders.js";

/** Every loader (TEST_LOADERS), as the line-rule and accounting tests name them. */
export const FOUR_LOADERS = TEST_LOADERS;
export type LoaderCase = TestLoader;
export type LoaderName = LoaderId;

/** Fresh databases for every loader (freshLoadRuns), by loader id, and their drop. */
export async function fourDatabases(): Promise<{
  urls: Record<LoaderName, string>;
  drop(): Promise<void>;
}> {
  const { runs, drop } = await freshLoadRuns();
  const urls = Object.fromEntries(
    TEST_LOADERS.map((l) => [l.name, runs.find((r) => r.batched === l.batched)?.targets[l.db]]),
  ) as Record<LoaderName, string>;
  return { urls, drop };
}

/** A loader's name as a file name part. */
export const slug = (c: LoaderCase) => c.name.replace(/\W+/g, "-");

/** One loader's load of `files`: sequential, batches of 100, rejects under `rejectsDir`. */
export function loadWith(
  c: LoaderCase,
  url: string,
  files: string[],
  rejectsDir: string,
  extra: Partial<Parameters<typeof runLoad>[0]> = {},
) {
  return runLoad({
    files,
    dbs: [c.db],
    targets: { [c.db]: url } as Partial<Targets>,
    jobs: 1,
    batchSize: 100,
    loaders: loadersFor(c.batched),
    rejectsDir,
    ...extra,
  });
}

/**
 * One file loaded by each of the four loaders, every reject kept (no --max-rejects),
 * rejects under `dir`: each loader's report of it.
 */
export async function loadEach(
  urls: Record<LoaderName, string>,
  file: string,
  dir: string,
): Promise<Record<LoaderName, FileReport>> {
  const reports = {} as Record<LoaderName, FileReport>;
  for (const c of FOUR_LOADERS) {
    const result = await loadWith(c, urls[c.name], [file], rejectsDirOf(dir, c), {
      maxRejects: "100%",
    });
    reports[c.name] = result.files[0] as FileReport;
  }
  return reports;
}

/** The records of a file's reject file: line, index in a page, reason. */
export async function rejectRecords(
  report: FileReport,
): Promise<{ lineNo: number; index?: number; error: string }[]> {
  if (report.rejectsFile === undefined) return [];
  const text = (await readFile(report.rejectsFile, "utf8")).trim();
  return text === "" ? [] : text.split("\n").map((line) => JSON.parse(line));
}

/** The checker on the three databases, with pg_normalized loaded by `normalized`. */
export function checkEachOther(urls: Record<LoaderName, string>, normalized: LoaderName) {
  return runChecks(
    {
      denormalized: urls.denormalized,
      normalized: urls[normalized],
      normalized_batch: urls["normalized-batch-copy"],
    },
    { compare: "each-other" },
  );
}

export const rejectsDirOf = (dir: string, c: LoaderCase) => join(dir, "rejects", slug(c));

/** Which table holds a database's tweets. */
export const tweetTable = (db: DbKind) => (db === "denormalized" ? "tweets_jsonb" : "tweets");
