import { copyTool, formatCount, formatMB, formatSeconds, markdownTable } from "./report-format.js";
import { type CaseSummary, caseId, ReportIndex } from "./report-summary.js";
import type { BenchReport } from "./types.js";

function describe(report: BenchReport, s: CaseSummary): [string, string] {
  const c = s.case;
  switch (c.type) {
    case "load":
      return [report.variants.find((v) => v.id === c.variant)?.label ?? c.variant, `${c.jobs}`];
    case "copy":
      return [`floor: ${copyTool(report)}`, `${c.streams} stream${c.streams === 1 ? "" : "s"}`];
    case "read":
      return ["floor: read + decompress", "1"];
  }
}

function rowCounts(rows: Record<string, number> | undefined): string {
  if (!rows) return "—";
  return Object.entries(rows)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, n]) => `${table} ${formatCount(n)}`)
    .join(", ");
}

/** Every case on the main data set: medians, client CPU, peak memory and rows per table. */
export function renderDetailsTable(report: BenchReport): string {
  const index = new ReportIndex(report);
  const header = [
    "case",
    "jobs / streams",
    "median wall",
    "loader's own time",
    "runs",
    "tweets",
    "tweets/s",
    "client CPU",
    "peak memory",
    "rows after the load",
  ];
  const rows = report.results
    .filter((r) => r.case.data === report.mainData && r.samples.length > 0)
    .map((r) => index.summaryOf(caseId(r.case)) as CaseSummary)
    .map((s) => [
      ...describe(report, s),
      formatSeconds(s.wallSeconds),
      s.loaderSeconds === undefined ? "—" : formatSeconds(s.loaderSeconds),
      `${s.runs}`,
      formatCount(s.tweets),
      formatCount(s.tweetsPerSecond),
      s.cpuSeconds === undefined ? "—" : formatSeconds(s.cpuSeconds),
      formatMB(s.maxRssMB),
      rowCounts(s.rows),
    ]);
  return markdownTable(header, rows, [0, header.length - 1]);
}
