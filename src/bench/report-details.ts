import { copyTool, formatCount, formatMB, formatSeconds, markdownTable } from "./report-format.js";
import { type CaseSummary, caseId, ReportIndex } from "./report-summary.js";
import type { BenchReport } from "./types.js";

const SHAPE_LABEL = { "one-file": "one file", "v2-pages": "v2 pages" } as const;

function describe(report: BenchReport, s: CaseSummary): [string, string] {
  const c = s.case;
  switch (c.type) {
    case "load": {
      const label = report.variants.find((v) => v.id === c.variant)?.label ?? c.variant;
      const shape = report.dataSets.find((d) => d.key === c.data)?.derived?.shape;
      return [shape ? `${label}, ${SHAPE_LABEL[shape]}` : label, `${c.jobs}`];
    }
    case "copy":
      return [`floor: ${copyTool(report)}`, `${c.streams} stream${c.streams === 1 ? "" : "s"}`];
    case "read":
      return ["floor: read + decompress", "1"];
    case "pipeline":
      return ["reference: unzip | sed | psql, GNU parallel", `${c.jobs}`];
    case "commit-floor":
      return ["commit floor: autocommit one-row INSERTs", `${c.connections} connections`];
  }
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
    .map((r) => index.summaryOf(caseId(r.case)) as CaseSummary)
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
