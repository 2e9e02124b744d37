import type { BenchReport, DerivedShape } from "../types.js";
import { formatCount, formatRatio, timeRatio } from "./format.js";
import { type CaseSummary, ReportIndex } from "./summary.js";

/** One speed or memory target of the loaders, judged on the main data set. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** Adds to `checks` a ratio that must stay at most `limit`, when it was measured. */
export function atMost(
  checks: TargetCheck[],
  target: string,
  value: number | undefined,
  limit: number,
): void {
  if (value !== undefined)
    checks.push({ target, measured: formatRatio(value), met: value <= limit });
}

/** Adds to `checks` a rate that must reach `limit` tweets/s, when it was measured. */
export function atLeast(
  checks: TargetCheck[],
  target: string,
  s: CaseSummary | undefined,
  limit: number,
): void {
  if (s) {
    checks.push({
      target,
      measured: `${formatCount(s.tweetsPerSecond)} tweets/s`,
      met: s.tweetsPerSecond >= limit,
    });
  }
}

/**
 * Per loader: its load of the main set's tweets in `shape` (one archive, v2 pages, a tar)
 * at most `limit` × its load of the N files, both at the parallel jobs value; `target`
 * words each check from the loader's label and that jobs value.
 */
export function shapeTargets(
  report: BenchReport,
  shape: DerivedShape,
  limit: number,
  target: (label: string, jobs: number) => string,
): TargetCheck[] {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  if (pj === undefined) return [];
  const checks: TargetCheck[] = [];
  for (const v of report.variants) {
    const ratio = timeRatio(index.derivedLoad(shape, v.id, pj), index.load(v.id, pj));
    atMost(checks, target(v.label, pj), ratio, limit);
  }
  return checks;
}
