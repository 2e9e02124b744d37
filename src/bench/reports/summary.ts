import type { BenchCase, BenchReport, CaseResult, DerivedShape } from "../types.js";
import { median } from "./stats.js";

/** The figures of one case across its repetitions. */
export interface CaseSummary {
  case: BenchCase;
  runs: number;
  /** Median wall time. */
  wallSeconds: number;
  tweets: number;
  /** Tweets divided by the median wall time. */
  tweetsPerSecond: number;
  /** Median of the loader's own elapsed time (without process start-up). */
  loaderSeconds?: number;
  /** Median client CPU time (user + system), when the client reports it. */
  cpuSeconds?: number;
  /** Highest peak memory over the repetitions. */
  maxRssMB?: number;
  /** Row counts after the last repetition. */
  rows?: Record<string, number>;
  /** Median WAL bytes and commits of the server during the case. */
  walBytes?: number;
  xactCommit?: number;
  /** Median commits of a commit-floor case. */
  commits?: number;
  /** Median bytes on disk of the loaded table. */
  bytes?: number;
  /** Median seconds of each checker query. */
  querySeconds?: number[];
  /** Why the case could not run on the server. */
  unavailable?: string;
}

const medianOf = (values: (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? median(known) : undefined;
};

export function summarizeCase(result: CaseResult): CaseSummary {
  const { samples } = result;
  if (samples.length === 0) throw new Error(`case ${JSON.stringify(result.case)} has no samples`);
  const wallSeconds = median(samples.map((s) => s.wallSeconds));
  const tweets = median(samples.map((s) => s.tweets));
  const summary: CaseSummary = {
    case: result.case,
    runs: samples.length,
    wallSeconds,
    tweets,
    tweetsPerSecond: wallSeconds > 0 ? tweets / wallSeconds : Number.NaN,
  };
  const own = medianOf(samples.map((s) => s.loaderSeconds));
  if (own !== undefined) summary.loaderSeconds = own;
  const cpu = medianOf(
    samples.map((s) =>
      s.userCpuSeconds !== undefined && s.systemCpuSeconds !== undefined
        ? s.userCpuSeconds + s.systemCpuSeconds
        : undefined,
    ),
  );
  if (cpu !== undefined) summary.cpuSeconds = cpu;
  const rss = samples.flatMap((s) => (s.maxRssMB === undefined ? [] : [s.maxRssMB]));
  if (rss.length > 0) summary.maxRssMB = Math.max(...rss);
  const wal = medianOf(samples.map((s) => s.server?.walBytes));
  if (wal !== undefined) summary.walBytes = wal;
  const xacts = medianOf(samples.map((s) => s.server?.xactCommit));
  if (xacts !== undefined) summary.xactCommit = xacts;
  const commits = medianOf(samples.map((s) => s.commits));
  if (commits !== undefined) summary.commits = commits;
  const bytes = medianOf(samples.map((s) => s.bytes));
  if (bytes !== undefined) summary.bytes = bytes;
  const first = samples[0]?.querySeconds;
  if (first) {
    summary.querySeconds = first.map(
      (_, i) => medianOf(samples.map((s) => s.querySeconds?.[i])) ?? Number.NaN,
    );
  }
  const unavailable = samples.find((s) => s.unavailable)?.unavailable;
  if (unavailable) summary.unavailable = unavailable;
  const rows = samples.at(-1)?.rows;
  if (rows) summary.rows = rows;
  return summary;
}

/** Finds the measured cases of a report by what they ran. */
export class ReportIndex {
  private readonly summaries = new Map<CaseResult, CaseSummary>();

  constructor(readonly report: BenchReport) {
    for (const result of report.results) {
      if (result.samples.length > 0) this.summaries.set(result, summarizeCase(result));
    }
  }

  /** The summary of one result of the report, when it has samples. */
  summaryOf(result: CaseResult): CaseSummary | undefined {
    return this.summaries.get(result);
  }

  /** The first measured case whose fields include every one of `fields`. */
  find(fields: { type: string; data: string } & Record<string, unknown>): CaseSummary | undefined {
    const wanted = Object.entries(fields);
    for (const [result, summary] of this.summaries) {
      const c: Record<string, unknown> = result.case;
      if (wanted.every(([key, value]) => c[key] === value)) return summary;
    }
    return undefined;
  }

  load(variant: string, jobs: number, data = this.report.mainData): CaseSummary | undefined {
    return this.find({ type: "load", variant, jobs, data });
  }

  copy(streams: number, data = this.report.mainData): CaseSummary | undefined {
    return this.find({ type: "copy", streams, data });
  }

  read(data = this.report.mainData): CaseSummary | undefined {
    return this.find({ type: "read", data });
  }

  pipeline(jobs: number, data = this.report.mainData): CaseSummary | undefined {
    return this.find({ type: "pipeline", jobs, data });
  }

  commitFloor(connections: number, data = this.report.mainData): CaseSummary | undefined {
    return this.find({ type: "commit-floor", connections, data });
  }

  /** The key of the set holding the main set's tweets in `shape`, if it was measured. */
  derivedKey(shape: DerivedShape, of = this.report.mainData): string | undefined {
    return this.report.dataSets.find((d) => d.derived?.of === of && d.derived.shape === shape)?.key;
  }

  /** A load of the main set's tweets in `shape` (one archive, v2 pages). */
  derivedLoad(shape: DerivedShape, variant: string, jobs: number): CaseSummary | undefined {
    const key = this.derivedKey(shape);
    return key === undefined ? undefined : this.load(variant, jobs, key);
  }

  /**
   * The sequential column is `--jobs 1`; the parallel column is `--jobs` = cores (the
   * loader's own default) when it was measured, else the largest other `--jobs` value.
   * More jobs than cores only adds contention on a small machine: the jobs table shows it.
   */
  get parallelJobs(): number | undefined {
    const parallel = this.report.jobs.filter((j) => j > 1);
    if (parallel.includes(this.report.machine.cores)) return this.report.machine.cores;
    return parallel.length > 0 ? Math.max(...parallel) : undefined;
  }
}
