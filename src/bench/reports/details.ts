import { caseKind, shapeNamed } from "../cases/registry.js";
import type { BenchReport } from "../types.js";
import { formatCount, formatMB, formatSeconds, markdownTable } from "./format.js";
import { type CaseSummary, ReportIndex } from "./summary.js";

/** What ran and how many at once, as the case's kind says it; loads of a shape add it. */
function describe(report: BenchReport, s: CaseSummary): [string, string] {
  const [what, concurrency] = caseKind(s.case.type).detailsCells(s.case, report);
  const shape = report.dataSets.find((d) => d.key === s.case.data)?.derived?.shape;
  const label = shape === undefined ? undefined : (shapeNamed(shape)?.label ?? shape);
  return [label === undefined ? what : `${what}, ${label}`, concurrency];
}

function rowCounts(rows: Record<string, number> | undefined): string {
  if (!rows) return "—";
  return Object.entries(rows)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, n]) => `${table} ${formatCount(n)}`)
    .join(", ");
}

function serverWork(s: CaseSummary): string {
  if (s.walBytes === undefined || s.xactCommit === undefined) return "—";
  return `${formatMB(s.walBytes / 1e6)} WAL, ${formatCount(s.xactCommit)} commits`;
}

/** Every case on the main data set and its other shapes: medians, client CPU, memory, server work, rows. */
export function renderDetailsTable(report: BenchReport): string {
  const index = new ReportIndex(report);
  const onMain = (data: string) =>
    data === report.mainData ||
    report.dataSets.some((d) => d.key === data && d.derived?.of === report.mainData);
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
    "server",
    "rows after the load",
  ];
  const rows = report.results
    .filter((r) => onMain(r.case.data) && r.samples.length > 0)
    .map((r) => index.summaryOf(r) as CaseSummary)
    .map((s) => [
      ...describe(report, s),
      formatSeconds(s.wallSeconds),
      s.loaderSeconds === undefined ? "—" : formatSeconds(s.loaderSeconds),
      `${s.runs}`,
      s.commits === undefined ? formatCount(s.tweets) : "—",
      s.commits === undefined
        ? formatCount(s.tweetsPerSecond)
        : `${formatCount(s.commits / s.wallSeconds)} commits/s`,
      s.cpuSeconds === undefined ? "—" : formatSeconds(s.cpuSeconds),
      formatMB(s.maxRssMB),
      serverWork(s),
      rowCounts(s.rows),
    ]);
  return markdownTable(header, rows, [0, header.length - 1]);
}
