import { loadavg } from "node:os";
import { withClient } from "../db/client.js";
import { countRows } from "../db/row-counts.js";
import { detectGeoMode } from "../db/schema.js";
import { checkpoint, serverSettings } from "../db/server-settings.js";
import type { DbKind, Targets } from "../db/targets.js";
import type { GeoMode } from "../transform/geo.js";
import { type DataSource, totalSize } from "./data-sets.js";
import { type Extraction, extractJsonLines } from "./extract.js";
import { balancedGroups, timeNodeCopy, timePsqlCopy } from "./floor-copy.js";
import { loadArgs, runLoadChild } from "./load-case.js";
import { machineInfo } from "./machine-info.js";
import { readOnly } from "./read-only.js";
import { formatCount, formatSeconds } from "./report-format.js";
import type {
  BenchCase,
  BenchReport,
  CaseResult,
  DataSet,
  LoaderVariant,
  Sample,
} from "./types.js";

/** What a benchmark run needs from outside: servers, a way to reset them, the data. */
export interface BenchEnvironment {
  targets: Targets;
  /** `embedded` or `external`, recorded with the figures. */
  provider: string;
  /** Drops everything in one database and re-applies its schema. */
  resetDatabase: (url: string, kind: DbKind) => Promise<void>;
}

export interface BenchPlan {
  dataSources: DataSource[];
  variants: LoaderVariant[];
  /** `--jobs` values; 1 is always measured (the sequential column). */
  jobs: number[];
  runs: number;
  floorStreams: number;
  /** What sends the floor's COPY: psql, or node when psql is missing. */
  floorTool: "psql" | "node";
  /** Where the extracted JSON lines go (git-ignored). */
  scratchRoot: string;
  /** `bin/tweetload.js` of this package. */
  cliPath: string;
  command: string;
  log: (line: string) => void;
}

/** Every case of the plan in the order one round runs them. */
export function planCases(
  plan: Pick<BenchPlan, "dataSources" | "variants" | "jobs" | "floorStreams">,
): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const { key: data } of plan.dataSources) {
    cases.push({ type: "read", data });
    cases.push({ type: "copy", streams: 1, data });
    if (plan.floorStreams > 1) cases.push({ type: "copy", streams: plan.floorStreams, data });
    for (const v of plan.variants) {
      for (const jobs of plan.jobs) {
        cases.push({ type: "load", variant: v.id, label: v.label, db: v.db, jobs, data });
      }
    }
  }
  return cases;
}

/**
 * Runs every case `runs` times, interleaved (round 1 of every case, then
 * round 2, …) so that drift of the machine hits all cases alike, each load
 * starting from freshly reset databases, and returns the raw figures.
 */
export async function runBench(plan: BenchPlan, env: BenchEnvironment): Promise<BenchReport> {
  const date = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const { log } = plan;
  const extractions = new Map<string, Extraction>();
  const dataSets: DataSet[] = [];
  for (const source of plan.dataSources) {
    if (source.archives.length === 0)
      throw new Error(`no archives (.zip, .jsonl, .json, .jsonl.gz) in ${source.dir}`);
    log(`extracting the JSON lines of ${source.dir} for the floor (once, not timed) …`);
    const ex = await extractJsonLines(source.archives, plan.scratchRoot);
    extractions.set(source.key, ex);
    dataSets.push({
      key: source.key,
      dir: source.dir,
      files: source.archives.length,
      ...(source.tweetsPerFile === undefined ? {} : { tweetsPerFile: source.tweetsPerFile }),
      tweets: ex.tweets,
      archiveBytes: await totalSize(source.archives),
      jsonBytes: ex.bytes,
    });
  }
  const sourceOf = new Map(plan.dataSources.map((s) => [s.key, s]));
  const server = await serverSettings(env.targets.denormalized);
  const cases = planCases(plan);
  const results: CaseResult[] = cases.map((c) => ({ case: c, samples: [] }));
  let geoMode: GeoMode | undefined;

  for (let round = 1; round <= plan.runs; round++) {
    for (const [i, c] of cases.entries()) {
      const source = sourceOf.get(c.data) as DataSource;
      const ex = extractions.get(c.data) as Extraction;
      const sample = await runCase(c, source, ex, plan, env);
      if (c.type === "load" && c.db !== "denormalized" && geoMode === undefined) {
        geoMode = await withClient(env.targets[c.db as DbKind], detectGeoMode);
      }
      results[i]?.samples.push(sample);
      log(
        `[${round}/${plan.runs}] ${describeCase(c, plan.variants)}: ${formatSeconds(sample.wallSeconds)}, ` +
          `${formatCount(sample.tweets / sample.wallSeconds)} tweets/s`,
      );
    }
  }
  const mainData = [...dataSets].sort((a, b) => b.tweets - a.tweets)[0]?.key as string;
  return {
    version: 1,
    date,
    command: plan.command,
    machine: { ...machineInfo(), loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 } },
    server: {
      version: server.version,
      provider: env.provider,
      settings: server.settings,
      ...(geoMode ? { geoMode } : {}),
    },
    runs: plan.runs,
    jobs: plan.jobs,
    floorStreams: plan.floorStreams,
    floorTool: plan.floorTool,
    variants: plan.variants,
    dataSets,
    mainData,
    results,
  };
}

/** Rows per table (views left out) of the database at `url`. */
const tableRows = (url: string) => withClient(url, (client) => countRows(client, { views: false }));

async function runCase(
  c: BenchCase,
  source: DataSource,
  ex: Extraction,
  plan: BenchPlan,
  env: BenchEnvironment,
): Promise<Sample> {
  switch (c.type) {
    case "read": {
      const started = process.hrtime.bigint();
      await readOnly(source.archives);
      return { wallSeconds: Number(process.hrtime.bigint() - started) / 1e9, tweets: ex.tweets };
    }
    case "copy": {
      const url = env.targets.denormalized;
      await env.resetDatabase(url, "denormalized");
      await checkpoint(url);
      const groups = balancedGroups(ex.files, c.streams, (f) => f.bytes).map((g) =>
        g.map((f) => f.path),
      );
      const wallSeconds =
        plan.floorTool === "psql"
          ? await timePsqlCopy(url, groups)
          : await timeNodeCopy(url, groups);
      const rows = await tableRows(url);
      if (rows.tweets_jsonb !== ex.tweets) {
        throw new Error(`the floor copy loaded ${rows.tweets_jsonb} rows instead of ${ex.tweets}`);
      }
      return { wallSeconds, tweets: ex.tweets, rows };
    }
    case "load": {
      const variant = plan.variants.find((v) => v.id === c.variant) as LoaderVariant;
      const kind = c.db as DbKind;
      const url = env.targets[kind];
      await env.resetDatabase(url, kind);
      await checkpoint(url);
      const { wallSeconds, summary } = await runLoadChild(
        plan.cliPath,
        loadArgs(variant, c.jobs, env.targets, source.archives),
      );
      const rows = await tableRows(url);
      const sample: Sample = {
        wallSeconds,
        tweets: summary.totals.tweets,
        loaderSeconds: summary.totals.seconds,
        rows,
      };
      if (summary.resources) {
        sample.userCpuSeconds = summary.resources.userCpuSeconds;
        sample.systemCpuSeconds = summary.resources.systemCpuSeconds;
        sample.maxRssMB = summary.resources.maxRssMB;
      }
      return sample;
    }
  }
}

function describeCase(c: BenchCase, variants: readonly LoaderVariant[]): string {
  switch (c.type) {
    case "load":
      return `${variants.find((v) => v.id === c.variant)?.label ?? c.variant} --jobs ${c.jobs} (${c.data})`;
    case "copy":
      return `floor copy, ${c.streams} stream${c.streams === 1 ? "" : "s"} (${c.data})`;
    case "read":
      return `floor read + decompress (${c.data})`;
  }
}
