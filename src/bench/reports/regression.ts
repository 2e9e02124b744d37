import type { BenchReport } from "../types.js";
import { formatRatio, timeRatio } from "./format.js";
import { ReportIndex } from "./summary.js";
import type { TargetCheck } from "./target-check.js";

/** Allowed growth of a loader's ratio to its floor since the baseline run. */
export const REGRESSION_TOLERANCE = 1.05;

/** The loaders whose time ÷ floor may not grow by more than 5% from one run to the next. */
const WATCHED = ["normalized_batch", "normalized_batched"];

/**
 * normalized_batch and `--batch`: each ratio to its floor at most 5% above the baseline's,
 * when the baseline was measured on the same data set (ratios of another size, or other
 * files, say nothing about a regression).
 */
export function regressionTargets(report: BenchReport): TargetCheck[] {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  const base = report.baseline;
  const main = report.dataSets.find((d) => d.key === report.mainData);
  if (pj === undefined || !base || base.data !== report.mainData || base.tweets !== main?.tweets) {
    return [];
  }
  const checks: TargetCheck[] = [];
  const floors = { sequential: index.copy(1), parallel: index.copy(report.floorStreams) };
  for (const id of WATCHED) {
    const v = report.variants.find((x) => x.id === id);
    if (!v) continue;
    for (const column of ["sequential", "parallel"] as const) {
      const earlier = base.ratios[id]?.[column];
      const now = timeRatio(index.load(id, column === "sequential" ? 1 : pj), floors[column]);
      if (earlier === undefined || now === undefined) continue;
      checks.push({
        target: `${v.label} ${column} ÷ floor within 5% of the baseline (${formatRatio(earlier)}, ${base.date.slice(0, 10)})`,
        measured: `${formatRatio(now)} (${now >= earlier ? "+" : ""}${((now / earlier - 1) * 100).toFixed(1)}%)`,
        met: now <= earlier * REGRESSION_TOLERANCE,
      });
    }
  }
  return checks;
}
