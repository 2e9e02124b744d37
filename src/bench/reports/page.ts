import { KEY_SETTINGS } from "../../db/server-settings.js";
import type { SectionSlot } from "../cases/case.js";
import { CASE_GROUPS, groupsNamed } from "../cases/registry.js";
import type { BenchReport } from "../types.js";
import { renderDetailsTable } from "./details.js";
import { formatCount } from "./format.js";
import { renderJobsTable, renderSizesSection } from "./scaling.js";
import { renderTargetsTable } from "./targets.js";
import { renderTimingTable } from "./timing-table.js";

/** One paragraph naming the machine, the server and its settings, the data, the command and the date. */
export function renderContext(report: BenchReport): string {
  const m = report.machine;
  const main = report.dataSets.find((d) => d.key === report.mainData);
  const settings = KEY_SETTINGS.filter((k) => k in report.server.settings)
    .map((k) => `${k}=${report.server.settings[k]}`)
    .join(", ");
  const data = main
    ? `${formatCount(main.tweets)} tweets in ${main.files} files (${(main.archiveBytes / 1e6).toFixed(0)} MB of archives, ${(main.jsonBytes / 1e6).toFixed(0)} MB of JSON)`
    : report.mainData;
  return [
    `Measured on ${report.date.slice(0, 10)} with \`${report.command}\`.`,
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGB.toFixed(0)} GB memory, ${m.os}, Node ${m.node}${loadNote(m)}.`,
    `Server: PostgreSQL ${report.server.version} (${report.server.provider}${report.server.geoMode ? `, geo ${report.server.geoMode}` : ""}); ${settings}.`,
    `Data: ${data}. Each figure is the median of ${report.runs} run${report.runs === 1 ? "" : "s"}, interleaved (run 1 of every case, then run 2, …), each from freshly reset databases; times are wall-clock and include starting the client process.`,
  ].join("\n");
}

/** What the floor is, and which floor each column is divided by. */
function floorWords(report: BenchReport): string {
  return report.floorTool === "node"
    ? `The floor is what PostgreSQL itself needs for the same JSON lines: \`COPY tweets_jsonb (data) FROM STDIN\` of the already-extracted lines, sent from node with pg-copy-streams because no \`psql\` was installed (CSV with control-byte quote and delimiter, so the JSON passes unchanged). Sequential rows are divided by the one-stream floor, parallel rows by the ${report.floorStreams}-stream floor (one connection per core).`
    : `The floor is what PostgreSQL itself needs for the same JSON lines: \`psql \\copy\` of the already-extracted lines into \`tweets_jsonb\` (CSV with control-byte quote and delimiter, so the JSON passes unchanged). Sequential rows are divided by the one-stream floor, parallel rows by the ${report.floorStreams}-stream floor (one \`psql\` per core).`;
}

const chart = (chartPath: string) =>
  `![Elapsed seconds per database, sequential and parallel, with the floor](${chartPath})`;

/** The paragraphs every measured group gives for `slot`, in the registry's order. */
const slot = (report: BenchReport, where: SectionSlot) =>
  groupsNamed(CASE_GROUPS).flatMap((g) => g.sections?.[where]?.(report) ?? []);

/**
 * Every table of a run (docs/timing.md): the context, the timing table and what the
 * groups put beside it, the floor, the chart, the targets, the references and the other
 * shapes, what was not measured, the scaling tables and the table of every case.
 */
export function renderTimingPage(report: BenchReport, chartPath = report.chartPath): string {
  const parts = [
    renderContext(report),
    renderTimingTable(report),
    ...slot(report, "besideTable"),
    ...slot(report, "readme"),
  ];
  parts.push(floorWords(report));
  if (chartPath) parts.push(chart(chartPath));
  const targets = renderTargetsTable(report);
  if (targets) {
    const main = report.dataSets.find((d) => d.key === report.mainData);
    parts.push(
      `The loaders' targets, judged on this data set (${formatCount(main?.tweets ?? 0)} tweets; they are set for the full-size 10 × 10,000):\n\n${targets}`,
    );
  }
  parts.push(...slot(report, "references"), ...slot(report, "otherShapes"));
  if (report.notes && report.notes.length > 0) {
    parts.push(`Not measured in this run:\n\n${report.notes.map((n) => `- ${n}`).join("\n")}`);
  }
  const jobs = renderJobsTable(report);
  if (jobs) parts.push(`Parallel speedup (time, and speedup over \`--jobs 1\`):\n\n${jobs}`);
  parts.push(...slot(report, "scaling"));
  const sizes = renderSizesSection(report);
  if (sizes)
    parts.push(
      `Time against data size (tweets per file varied, same number of files):\n\n${sizes}`,
    );
  parts.push(
    `<details><summary>Every case: client CPU, peak memory, rows per table</summary>\n\n${renderDetailsTable(report)}\n\n</details>`,
  );
  return parts.join("\n\n");
}

/**
 * The README's part of a run: the context, the timing table, the floor and the chart,
 * and where the rest is (`pagePath`, the timing page relative to the README).
 */
export function renderReadmeSummary(
  report: BenchReport,
  pagePath: string,
  chartPath = report.chartPath,
): string {
  const parts = [
    renderContext(report),
    renderTimingTable(report),
    ...slot(report, "readme"),
    floorWords(report),
  ];
  if (chartPath) parts.push(chart(chartPath));
  parts.push(
    `The rest of this run (one big file, v2 pages, the shell pipeline, the commit floor, the targets, scaling, per-core cost, every case): [${pagePath}](${pagePath}).`,
  );
  return parts.join("\n\n");
}

/** The load average, and a warning when other work shared the cores with the benchmark. */
function loadNote(m: BenchReport["machine"]): string {
  if (!m.loadAverage) return "";
  const { start, end } = m.loadAverage;
  const busy = Math.max(start, end) > m.cores;
  return `; load average ${start.toFixed(1)} at the start, ${end.toFixed(1)} at the end${busy ? " (other work shared the cores: expect noise)" : ""}`;
}
