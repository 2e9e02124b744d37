import { loadavg } from "node:os";
import { withClient } from "../../db/client.js";
import { detectGeoMode } from "../../db/schema.js";
import { serverSettings } from "../../db/server-settings.js";
import type { GeoMode } from "../../transform/geo.js";
import { isLoadCase, type LoadCase } from "../cases/load.js";
import { type DataSource, totalSize } from "../data/data-sets.js";
import { type Extraction, extractJsonLines } from "../data/extract.js";
import { derivedMismatch } from "../data/verify-derived.js";
import type { BenchEnvironment, BenchPlan } from "../plan/bench-plan.js";
import { estimateSeconds } from "../plan/estimate.js";
import { planCases } from "../plan/plan-cases.js";
import { formatCount, formatSeconds } from "../reports/format.js";
import type { BenchReport, CaseResult, DataSet, Sample } from "../types.js";
import { machineInfo } from "./machine-info.js";
import { describeCase, runCase } from "./run-case.js";

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
    const set: DataSet = {
      key: source.key,
      dir: source.dir,
      files: source.archives.length,
      ...(source.tweetsPerFile === undefined ? {} : { tweetsPerFile: source.tweetsPerFile }),
      tweets: 0,
      archiveBytes: await totalSize(source.archives),
      jsonBytes: 0,
    };
    if (source.derived) {
      // The same tweets as the set it is made from: nothing to extract.
      const of = dataSets.find((d) => d.key === source.derived?.of);
      set.tweets = of?.tweets ?? 0;
      set.jsonBytes = of?.jsonBytes ?? 0;
      set.derived = source.derived;
    } else {
      log(`extracting the JSON lines of ${source.dir} for the floor (once, not timed) …`);
      const ex = await extractJsonLines(source.archives, plan.scratchRoot);
      extractions.set(source.key, ex);
      set.tweets = ex.tweets;
      set.jsonBytes = ex.bytes;
    }
    dataSets.push(set);
  }
  const sourceOf = new Map(plan.dataSources.map((s) => [s.key, s]));
  const server = await serverSettings(env.targets.denormalized);
  const cases = planCases(plan);
  const results: CaseResult[] = cases.map((c) => ({ case: c, samples: [] }));
  const sets = new Map(
    dataSets.map((d) => [
      d.key,
      { tweets: d.tweets, ...(d.derived && { shape: d.derived.shape }) },
    ]),
  );
  const expected = estimateSeconds(cases, sets, plan.runs, plan.commitFloorSeconds);
  const minutes = expected < 60 ? "less than a minute" : `about ${Math.round(expected / 60)} min`;
  log(
    `${cases.length} cases × ${plan.runs} run${plan.runs === 1 ? "" : "s"}: expected to take ${minutes} ` +
      "(from the per-tweet costs of a 2-core machine; --cases and --runs cut it).",
  );
  let geoMode: GeoMode | undefined;

  for (let round = 1; round <= plan.runs; round++) {
    for (const [i, c] of cases.entries()) {
      const source = sourceOf.get(c.data) as DataSource;
      const sample = await runCase(c, source, extractions.get(c.data), plan, env);
      if (isLoadCase(c) && c.db !== "denormalized" && geoMode === undefined) {
        geoMode = await withClient(env.targets[c.db], detectGeoMode);
      }
      if (isLoadCase(c) && source.derived) {
        const parent = latestSample(results, c, source.derived.of);
        const why = parent && derivedMismatch(source.derived.shape, c.label, sample, parent);
        if (why) throw new Error(`${why}: the benchmark compares loads of different data.`);
      }
      results[i]?.samples.push(sample);
      log(`[${round}/${plan.runs}] ${describeCase(c, plan.variants)}: ${rateText(sample)}`);
    }
  }
  const primary = dataSets.filter((d) => d.derived === undefined);
  const mainData = [...primary].sort((a, b) => b.tweets - a.tweets)[0]?.key as string;
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
    ...(plan.groups.includes("one-file") ? { oneFileJobs: plan.oneFileJobs } : {}),
    ...(plan.notes.length > 0 ? { notes: plan.notes } : {}),
    ...(plan.baseline ? { baseline: plan.baseline } : {}),
  };
}

/** The last sample of the same loader on the set `data`, at the same jobs when measured. */
function latestSample(
  results: readonly CaseResult[],
  c: LoadCase,
  data: string,
): Sample | undefined {
  const same = results.filter(
    (r) => isLoadCase(r.case) && r.case.variant === c.variant && r.case.data === data,
  );
  const sameJobs = same.find((r) => isLoadCase(r.case) && r.case.jobs === c.jobs);
  return (sameJobs?.samples.at(-1) ? sameJobs : same.find((r) => r.samples.length > 0))?.samples.at(
    -1,
  );
}

function rateText(sample: Sample): string {
  const rate =
    sample.commits !== undefined
      ? `${formatCount(sample.commits / sample.wallSeconds)} commits/s`
      : `${formatCount(sample.tweets / sample.wallSeconds)} tweets/s`;
  return `${formatSeconds(sample.wallSeconds)}, ${rate}`;
}
