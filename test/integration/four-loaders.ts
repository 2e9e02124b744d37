import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { runChecks } from "../../src/check/run-checks.js";
import type { DbKind, Targets } from "../../src/db/kinds.js";
import { loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import type { FileReport } from "../../src/run/types.js";
import { freshDatabase, freshTargets } from "./helpers/database.js";

/** The four loaders: a database kind, and whether `--batch` picks its batched loader. */
export const FOUR_LOADERS = [
  { name: "denormalized", db: "denormalized", batched: false },
  { name: "normalized", db: "normalized", batched: false },
  { name: "normalized --batch", db: "normalized", batched: true },
  { name: "normalized_batch", db: "normalized_batch", batched: false },
] as const;
export type LoaderCase = (typeof FOUR_LOADERS)[number];
export type LoaderName = LoaderCase["name"];

/** Fresh databases for the four loaders (a second pg_normalized for `--batch`), and their drop. */
export async function fourDatabases(): Promise<{
  urls: Record<LoaderName, string>;
  drop(): Promise<void>;
}> {
  const t = await freshTargets();
  const batched = await freshDatabase("normalized");
  return {
    urls: {
      denormalized: t.targets.denormalized,
      normalized: t.targets.normalized,
      "normalized --batch": batched.url,
      normalized_batch: t.targets.normalized_batch,
    },
    drop: async () => {
      await Promise.all([t.drop(), batched.drop()]);
    },
  };
}

/** A loader's name as a file name part: `normalized --batch` → `normalized-batch`. */
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
      normalized_batch: urls.normalized_batch,
    },
    { compare: "each-other" },
  );
}

export const rejectsDirOf = (dir: string, c: LoaderCase) => join(dir, "rejects", slug(c));

/** Which table holds a database's tweets. */
export const tweetTable = (db: DbKind) => (db === "denormalized" ? "tweets_jsonb" : "tweets");
