import type { BenchReport } from "../types.js";
import { formatRatio, formatSeconds, markdownTable, timeRatio } from "./format.js";
import { type CaseSummary, ReportIndex } from "./summary.js";

const time = (s: CaseSummary | undefined) => (s ? formatSeconds(s.wallSeconds) : "—");

/**
 * The same tweets in one archive beside the N-file rows, sequential and at the
 * parallel jobs value, with one file ÷ N files at the same jobs (its target: within
 * 1.1× at `--jobs N`).
 */
export function renderOneFileTable(report: BenchReport): string | undefined {
  const index = new ReportIndex(report);
  const key = index.derivedKey("one-file");
  if (key === undefined) return undefined;
  const files = report.dataSets.find((d) => d.key === report.mainData)?.files ?? 0;
  const pj = index.parallelJobs;
  const jobs = pj === undefined ? [1] : [1, pj];
  const header = ["database"];
  for (const j of jobs) {
    header.push(`${files} files, --jobs ${j}`, `one file, --jobs ${j}`, `one ÷ ${files} files`);
  }
  const rows = report.variants.map((v) => [
    v.label,
    ...jobs.flatMap((j) => {
      const many = index.load(v.id, j);
      const one = index.load(v.id, j, key);
      return [time(many), time(one), formatRatio(timeRatio(one, many))];
    }),
  ]);
  return markdownTable(header, rows);
}

/** Time with each `--jobs` value on the one big file, and the speedup over `--jobs 1`. */
export function renderOneFileJobsTable(report: BenchReport): string | undefined {
  const index = new ReportIndex(report);
  const key = index.derivedKey("one-file");
  const jobs = [...(report.oneFileJobs ?? [])].sort((a, b) => a - b);
  if (key === undefined || jobs.length < 2) return undefined;
  const header = ["database", ...jobs.map((j) => `--jobs ${j}`)];
  const rows = report.variants.map((v) => {
    const base = index.load(v.id, 1, key);
    return [
      v.label,
      ...jobs.map((j) => {
        const s = index.load(v.id, j, key);
        if (!s) return "—";
        return `${formatSeconds(s.wallSeconds)}${base ? ` (${formatRatio(timeRatio(base, s))})` : ""}`;
      }),
    ];
  });
  return markdownTable(header, rows);
}
