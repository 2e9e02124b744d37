import { formatRatio } from "./report-format.js";
import { type CaseSummary, ReportIndex } from "./report-summary.js";
import type { BenchReport } from "./types.js";

/** One speed or memory target of the loaders, judged on the main data set. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

const ratio = (a: CaseSummary | undefined, b: CaseSummary | undefined) =>
  a && b ? a.wallSeconds / b.wallSeconds : undefined;

/** Allowed growth of a loader's ratio to its floor since the baseline run. */
export const REGRESSION_TOLERANCE = 1.05;

/**
 * The targets of issues 16 and 17, judged where their cases were measured: one
 * archive within 1.1× of the N files at the parallel jobs, per loader; the
 * denormalized loader faster than the shell pipeline; v2 pages within 1.2× of
 * v1.1 per loader; normalized_batch and `--batch` within 5% of their ratios in
 * the baseline run.
 */
export function moreTargets(report: BenchReport): TargetCheck[] {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  if (pj === undefined) return [];
  const checks: TargetCheck[] = [];
  const atMost = (target: string, value: number | undefined, limit: number, unit = "") => {
    if (value !== undefined)
      checks.push({ target, measured: `${formatRatio(value)}${unit}`, met: value <= limit });
  };
  const files = report.dataSets.find((d) => d.key === report.mainData)?.files ?? 0;
  for (const v of report.variants) {
    atMost(
      `${v.label}: one file at --jobs ${pj} ≤ 1.1 × ${files} files at --jobs ${pj}`,
      ratio(index.derivedLoad("one-file", v.id, pj), index.load(v.id, pj)),
      1.1,
    );
  }
  const pipe = index.pipeline(pj);
  const denorm = ratio(index.load("denormalized", pj), pipe);
  if (denorm !== undefined) {
    checks.push({
      target: `pg_denormalized parallel faster than \`unzip | sed | psql\` through GNU parallel -j ${pj}`,
      measured: `${formatRatio(denorm)} the pipeline's time`,
      met: denorm < 1,
    });
  }
  for (const v of report.variants) {
    atMost(
      `${v.label}: v2 pages ≤ 1.2 × v1.1 (--jobs ${pj})`,
      ratio(index.derivedLoad("v2-pages", v.id, pj), index.load(v.id, pj)),
      1.2,
    );
  }
  checks.push(...regressionChecks(report, index, pj));
  return checks;
}

/** normalized_batch and `--batch`: each ratio to its floor at most 5% above the baseline's. */
function regressionChecks(report: BenchReport, index: ReportIndex, pj: number): TargetCheck[] {
  const base = report.baseline;
  const main = report.dataSets.find((d) => d.key === report.mainData);
  // Ratios of another data set (another size, other files) say nothing about a regression.
  if (!base || base.data !== report.mainData || base.tweets !== main?.tweets) return [];
  const checks: TargetCheck[] = [];
  const floors = { sequential: index.copy(1), parallel: index.copy(report.floorStreams) };
  for (const id of ["normalized_batch", "normalized_batched"]) {
    const v = report.variants.find((x) => x.id === id);
    if (!v) continue;
    for (const column of ["sequential", "parallel"] as const) {
      const earlier = base.ratios[id]?.[column];
      const now = ratio(index.load(id, column === "sequential" ? 1 : pj), floors[column]);
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
