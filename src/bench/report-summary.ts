import { median } from "./stats.js";
import type { BenchCase, BenchReport, CaseResult, DerivedShape } from "./types.js";

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
  const wal = samples.flatMap((s) => (s.server ? [s.server.walBytes] : []));
  if (wal.length > 0) summary.walBytes = median(wal);
  const xacts = samples.flatMap((s) => (s.server ? [s.server.xactCommit] : []));
  if (xacts.length > 0) summary.xactCommit = median(xacts);
  const commits = samples.flatMap((s) => (s.commits === undefined ? [] : [s.commits]));
  if (commits.length > 0) summary.commits = median(commits);
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
    case "pipeline":
      return `pipeline:jobs=${c.jobs}:${c.data}`;
    case "commit-floor":
      return `commit-floor:connections=${c.connections}:${c.data}`;
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

  pipeline(jobs: number, data = this.report.mainData): CaseSummary | undefined {
    return this.byId.get(`pipeline:jobs=${jobs}:${data}`);
  }

  commitFloor(connections: number, data = this.report.mainData): CaseSummary | undefined {
    return this.byId.get(`commit-floor:connections=${connections}:${data}`);
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
