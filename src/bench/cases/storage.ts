import type { Storage } from "../../db/storage-names.js";
import {
  copyTool,
  formatCount,
  formatRatio,
  formatSeconds,
  markdownTable,
  timeRatio,
} from "../reports/format.js";
import { type CaseSummary, ReportIndex } from "../reports/summary.js";
import { atMost, type TargetCheck } from "../reports/target-check.js";
import type { BenchReport, LoaderVariant, Sample } from "../types.js";
import { type CaseGroup, type CaseKind, perTweetSeconds } from "./case.js";

/** pg_denormalized loaded in one storage (`db reset --storage`), then the ten checker queries. */
export type StorageCase = { type: "storage"; storage: Storage; jobs: number; data: string };
/** `psql \copy` into a plain jsonb table (PostgreSQL's default storage): no choice of tweetload's. */
export type PlainCopyCase = { type: "plain-copy"; streams: number; data: string };

/**
 * Every choice of `db reset --storage`, written out: the command line imports this file to
 * list --cases, and a type-only import loads nothing (a missing name fails the typecheck).
 */
const MEASURED = ["inline", "pglz", "lz4"] as const satisfies readonly Storage[];

const DENORMALIZED: LoaderVariant = {
  id: "denormalized",
  label: "pg_denormalized",
  db: "denormalized",
  extraArgs: [],
};

const storageKind: CaseKind<StorageCase> = {
  type: "storage",
  describe: (c) => `pg_denormalized, storage ${c.storage}, --jobs ${c.jobs} (${c.data})`,
  detailsCells: (c) => [`pg_denormalized, storage ${c.storage}, then the checker`, `${c.jobs}`],
  estimateSeconds: (_, cost) => perTweetSeconds(120, cost),
  async run(c, ctx) {
    const figures = await import("../timing/storage-figures.js");
    const { loadArgs, runLoadChild } = await import("../timing/load-child.js");
    if (!(await figures.serverHas(ctx.targets.denormalized, c.storage))) {
      return { wallSeconds: 0, tweets: 0, unavailable: "the server is built without it" };
    }
    const url = await ctx.freshDatabase("denormalized", c.storage);
    const { wallSeconds, summary } = await runLoadChild(
      ctx.plan.cliPath,
      loadArgs(DENORMALIZED, c.jobs, ctx.targets, ctx.source.archives),
    );
    const sample: Sample = { wallSeconds, tweets: summary.totals.tweets };
    sample.rows = await ctx.tableRows(url);
    sample.bytes = await figures.tableBytes(url);
    sample.querySeconds = await figures.timeCheckerQueries(url);
    return sample;
  },
};

const plainCopyKind: CaseKind<PlainCopyCase> = {
  type: "plain-copy",
  describe: (c) => `floor copy into a plain jsonb table, ${c.streams} streams (${c.data})`,
  detailsCells: (c, report) => [`floor: ${copyTool(report)} into plain jsonb`, `${c.streams}`],
  estimateSeconds: (_, cost) => perTweetSeconds(80, cost),
  async run(c, ctx) {
    const { balancedGroups, timeNodeCopy, timePsqlCopy } = await import("../timing/floor-copy.js");
    const { tableBytes } = await import("../timing/storage-figures.js");
    const expected = ctx.extraction?.tweets ?? 0;
    // tweets_jsonb (data jsonb NOT NULL) in pglz, PostgreSQL's default: a plain jsonb table.
    const url = await ctx.freshDatabase("denormalized", "pglz");
    const groups = balancedGroups(ctx.extraction?.files ?? [], c.streams, (f) => f.bytes).map((g) =>
      g.map((f) => f.path),
    );
    const copy = ctx.plan.floorTool === "psql" ? timePsqlCopy : timeNodeCopy;
    const wallSeconds = await copy(url, groups);
    const rows = await ctx.tableRows(url);
    if (rows.tweets_jsonb !== expected) {
      throw new Error(`the plain copy loaded ${rows.tweets_jsonb} rows instead of ${expected}`);
    }
    return { wallSeconds, tweets: expected, rows, bytes: await tableBytes(url) };
  },
};

const sum = (values: readonly number[] | undefined) =>
  values ? values.reduce((a, b) => a + b, 0) : undefined;
const seconds = (s: number | undefined) => (s === undefined ? "—" : formatSeconds(s));
const megabytes = (bytes: number | undefined) =>
  bytes === undefined ? "—" : `${formatCount(bytes / 2 ** 20)} MB`;

/** The storage cases of the report, by storage, and the plain copy. */
function measured(report: BenchReport) {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs ?? 1;
  const data = report.mainData;
  const byStorage = new Map<Storage, CaseSummary>();
  for (const storage of MEASURED) {
    const found = index.find({ type: "storage", storage, jobs: pj, data });
    if (found) byStorage.set(storage, found);
  }
  const plain = index.find({ type: "plain-copy", streams: report.floorStreams, data });
  return { index, pj, byStorage, plain };
}

/** The storage comparison: load, the ten queries, bytes on disk, each against pglz. */
function storageTable(report: BenchReport): string[] {
  const { pj, byStorage, plain } = measured(report);
  if (byStorage.size === 0) return [];
  const pglz = byStorage.get("pglz");
  const rows = [...byStorage].map(([storage, s]) => {
    if (s.unavailable) return [storage, `not measured: ${s.unavailable}`, "", "", "", "", ""];
    const queries = sum(s.querySeconds);
    const slowest = s.querySeconds ? Math.max(...s.querySeconds) : undefined;
    return [
      storage,
      formatSeconds(s.wallSeconds),
      formatRatio(timeRatio(s, pglz)),
      seconds(queries),
      formatRatio(
        queries !== undefined ? queries / (sum(pglz?.querySeconds) ?? Number.NaN) : undefined,
      ),
      seconds(slowest),
      megabytes(s.bytes),
    ];
  });
  if (plain) {
    rows.push([
      `floor: \`${copyTool(report)}\` into a plain jsonb table, ${report.floorStreams} streams`,
      formatSeconds(plain.wallSeconds),
      formatRatio(timeRatio(plain, pglz)),
      "—",
      "—",
      "—",
      megabytes(plain.bytes),
    ]);
  }
  const header = [
    "pg_denormalized storage",
    `load (${pj} jobs)`,
    "÷ pglz",
    "ten checker queries",
    "÷ pglz",
    "slowest query",
    "on disk",
  ];
  return [
    `Storage of pg_denormalized (\`tweetload db reset --storage …\`; a new database gets inline): each loaded from a fresh table, then the checker's ten queries timed one after another, and the table's bytes with its TOAST.`,
    markdownTable(header, rows),
  ];
}

/** The floors: the default pg_denormalized against a plain jsonb COPY. */
function storageTargets(report: BenchReport): TargetCheck[] {
  const { index, pj, plain } = measured(report);
  const checks: TargetCheck[] = [];
  atMost(
    checks,
    `pg_denormalized -j ${pj} ≤ 0.75× the time of \`psql \\copy\` into a plain jsonb table (${report.floorStreams} streams)`,
    timeRatio(index.load("denormalized", pj), plain),
    0.75,
  );
  return checks;
}

/**
 * `--cases storage`: pg_denormalized in every storage the server has, load then queries and
 * bytes, and the floor of a plain jsonb table; once on the main set, after the loads.
 */
export const storageCases: CaseGroup = {
  kinds: [storageKind, plainCopyKind],
  stage: "main",
  plan: (p, data) => [
    ...MEASURED.map(
      (storage) => ({ type: "storage", storage, jobs: p.parallelJobs, data }) as const,
    ),
    { type: "plain-copy", streams: p.floorStreams, data },
  ],
  sections: { readme: storageTable },
  targets: storageTargets,
};
