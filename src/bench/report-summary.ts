import { median } from "./stats.js";
import type { BenchCase, BenchReport, CaseResult } from "./types.js";

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
}

export function summarizeCase(result: CaseResult): CaseSummary {
  const { samples } = result;
  if (samples.length === 0) throw new Error(`case ${caseId(result.case)} has no samples`);
  const wallSeconds = median(samples.map((s) => s.wallSeconds));
  const tweets = median(samples.map((s) => s.tweets));
  const summary: CaseSummary = {
    case: result.case,
    runs: samples.length,
    wallSeconds,
    tweets,
    tweetsPerSecond: wallSeconds > 0 ? tweets / wallSeconds : Number.NaN,
  };
  const own = samples.flatMap((s) => (s.loaderSeconds === undefined ? [] : [s.loaderSeconds]));
  if (own.length > 0) summary.loaderSeconds = median(own);
  const cpu = samples
    .filter((s) => s.userCpuSeconds !== undefined && s.systemCpuSeconds !== undefined)
    .map((s) => (s.userCpuSeconds as number) + (s.systemCpuSeconds as number));
  if (cpu.length > 0) summary.cpuSeconds = median(cpu);
  const rss = samples.flatMap((s) => (s.maxRssMB === undefined ? [] : [s.maxRssMB]));
  if (rss.length > 0) summary.maxRssMB = Math.max(...rss);
  const rows = samples.at(-1)?.rows;
  if (rows) summary.rows = rows;
  return summary;
}

/** A stable id for a case, used for ordering and in messages. */
export function caseId(c: BenchCase): string {
  switch (c.type) {
    case "load":
      return `load:${c.variant}:jobs=${c.jobs}:${c.data}`;
    case "copy":
      return `copy:streams=${c.streams}:${c.data}`;
    case "read":
      return `read:${c.data}`;
  }
}

/** Finds cases of a report by what they ran. */
export class ReportIndex {
  private readonly byId = new Map<string, CaseSummary>();

  constructor(readonly report: BenchReport) {
    for (const result of report.results) {
      if (result.samples.length > 0) this.byId.set(caseId(result.case), summarizeCase(result));
    }
  }

  summaryOf(id: string): CaseSummary | undefined {
    return this.byId.get(id);
  }

  load(variant: string, jobs: number, data = this.report.mainData): CaseSummary | undefined {
    return this.byId.get(`load:${variant}:jobs=${jobs}:${data}`);
  }

  copy(streams: number, data = this.report.mainData): CaseSummary | undefined {
    return this.byId.get(`copy:streams=${streams}:${data}`);
  }

  read(data = this.report.mainData): CaseSummary | undefined {
    return this.byId.get(`read:${data}`);
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
