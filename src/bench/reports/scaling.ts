import type { BenchReport } from "../types.js";
import {
  copyTool,
  formatCount,
  formatRatio,
  formatSeconds,
  markdownTable,
  timeRatio,
} from "./format.js";
import { type LinearFit, linearFit } from "./stats.js";
import { type CaseSummary, ReportIndex } from "./summary.js";

/** R² from which the time-vs-tweets line is called linear. */
export const LINEAR_R2 = 0.99;

/** Parallel speedup per database: time with each `--jobs` value and its speedup over `--jobs 1`. */
export function renderJobsTable(report: BenchReport): string | undefined {
  const jobs = [...report.jobs].sort((a, b) => a - b);
  if (jobs.length < 2) return undefined;
  const index = new ReportIndex(report);
  const header = ["database", ...jobs.map((j) => `--jobs ${j}`)];
  const rows = report.variants.map((v) => {
    const base = index.load(v.id, 1);
    return [
      v.label,
      ...jobs.map((j) => {
        const s = index.load(v.id, j);
        if (!s) return "—";
        const speedup = base ? ` (${formatRatio(timeRatio(base, s))})` : "";
        return `${formatSeconds(s.wallSeconds)}${speedup}`;
      }),
    ];
  });
  return markdownTable(header, rows);
}

/** One row of the size scaling table: its time at each data size and the fitted line. */
export interface SizeScaling {
  label: string;
  points: { tweets: number; seconds: number }[];
  fit?: LinearFit;
}

export function sizeScaling(report: BenchReport): SizeScaling[] {
  const primary = report.dataSets.filter((d) => d.derived === undefined);
  if (primary.length < 2) return [];
  const index = new ReportIndex(report);
  const sets = primary.sort((a, b) => a.tweets - b.tweets);
  const pj = index.parallelJobs;
  const series: { label: string; get: (data: string) => CaseSummary | undefined }[] = [];
  for (const v of report.variants) {
    series.push({ label: `${v.label}, sequential`, get: (d) => index.load(v.id, 1, d) });
    if (pj !== undefined) {
      series.push({ label: `${v.label}, ${pj} jobs`, get: (d) => index.load(v.id, pj, d) });
    }
  }
  series.push({ label: `floor: ${copyTool(report)}, 1 stream`, get: (d) => index.copy(1, d) });
  series.push({
    label: `floor: ${copyTool(report)}, ${report.floorStreams} streams`,
    get: (d) => index.copy(report.floorStreams, d),
  });
  return series.map(({ label, get }) => {
    const points = sets.flatMap((set) => {
      const s = get(set.key);
      return s ? [{ tweets: set.tweets, seconds: s.wallSeconds }] : [];
    });
    const distinct = new Set(points.map((p) => p.tweets)).size;
    const fit =
      distinct >= 2
        ? linearFit(
            points.map((p) => p.tweets),
            points.map((p) => p.seconds),
          )
        : undefined;
    return fit ? { label, points, fit } : { label, points };
  });
}

const micros = (seconds: number, tweets: number) => `${((seconds / tweets) * 1e6).toFixed(1)} µs`;

/**
 * How time grows with the number of tweets: the time and per-tweet cost at
 * each size, the least-squares slope (µs per tweet), intercept and R², and a
 * one-line verdict on whether growth is linear.
 */
export function renderSizesSection(report: BenchReport): string | undefined {
  const scaling = sizeScaling(report);
  if (scaling.length === 0) return undefined;
  const sets = report.dataSets
    .filter((d) => d.derived === undefined)
    .sort((a, b) => a.tweets - b.tweets);
  const header = [
    "case",
    ...sets.map((s) => `${formatCount(s.tweets)} tweets`),
    "slope per tweet",
    "intercept",
    "R²",
  ];
  const rows = scaling.map((s) => [
    s.label,
    ...sets.map((set) => {
      const p = s.points.find((q) => q.tweets === set.tweets);
      return p ? `${formatSeconds(p.seconds)} (${micros(p.seconds, p.tweets)}/tweet)` : "—";
    }),
    s.fit ? `${(s.fit.slope * 1e6).toFixed(1)} µs` : "—",
    s.fit ? formatSeconds(s.fit.intercept) : "—",
    s.fit && Number.isFinite(s.fit.r2) ? s.fit.r2.toFixed(4) : "—",
  ]);
  const fitted = scaling.filter((s) => s.fit && Number.isFinite(s.fit.r2));
  const bent = fitted.filter((s) => (s.fit as LinearFit).r2 < LINEAR_R2);
  const minR2 = Math.min(...fitted.map((s) => (s.fit as LinearFit).r2));
  let verdict: string;
  if (fitted.length === 0) verdict = "Not enough points to fit a line.";
  else if (bent.length === 0)
    verdict = `Time grows linearly with the number of tweets: every row fits a straight line with R² ≥ ${minR2.toFixed(4)} (threshold ${LINEAR_R2}).`;
  else
    verdict = `Not linear everywhere: ${bent.map((s) => `${s.label} (R² ${(s.fit as LinearFit).r2.toFixed(4)})`).join(", ")} fall below R² ${LINEAR_R2}; the other rows fit a straight line.`;
  return `${markdownTable(header, rows)}\n\n${verdict}`;
}
