import { KEY_SETTINGS } from "../db/server-settings.js";
import { renderDetailsTable } from "./report-details.js";
import { formatCount } from "./report-format.js";
import { renderOneFileTable } from "./report-one-file.js";
import { renderJobsTable, renderSizesSection } from "./report-scaling.js";
import { renderScalingSections, renderShapeSections } from "./report-sections.js";
import { renderTimingTable } from "./report-table.js";
import { renderTargetsTable } from "./report-targets.js";
import type { BenchReport } from "./types.js";

export const README_START = "<!-- bench:start -->";
export const README_END = "<!-- bench:end -->";

/** The README has no (or broken) bench markers: nothing can be replaced. */
export class MissingMarkersError extends Error {
  constructor(what: string) {
    super(
      `${what} does not contain the markers ${README_START} and ${README_END} (in that order, once each); add them where the timing table belongs and run again.`,
    );
    this.name = "MissingMarkersError";
  }
}

/** Replaces what lies between the bench markers with `body`, keeping the markers. */
export function replaceMarkedSection(readme: string, body: string, what = "README.md"): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (
    start < 0 ||
    end < 0 ||
    end < start ||
    readme.indexOf(README_START, start + 1) >= 0 ||
    readme.indexOf(README_END, end + 1) >= 0
  ) {
    throw new MissingMarkersError(what);
  }
  const before = readme.slice(0, start + README_START.length);
  const after = readme.slice(end);
  return `${before}\n${body.trim()}\n${after}`;
}

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

/** The whole README section: context, the timing table, the chart and the scaling tables. */
export function renderReadmeSection(report: BenchReport, chartPath = report.chartPath): string {
  const parts = [renderContext(report), renderTimingTable(report)];
  const oneFile = renderOneFileTable(report);
  if (oneFile) {
    parts.push(
      `The same tweets in one archive (one zip member: the ${report.dataSets.find((d) => d.key === report.mainData)?.files ?? "N"} files' lines concatenated), beside the rows above:\n\n${oneFile}`,
    );
  }
  parts.push(
    report.floorTool === "node"
      ? `The floor is what PostgreSQL itself needs for the same JSON lines: \`COPY tweets_jsonb (data) FROM STDIN\` of the already-extracted lines, sent from node with pg-copy-streams because no \`psql\` was installed (CSV with control-byte quote and delimiter, so the JSON passes unchanged). Sequential rows are divided by the one-stream floor, parallel rows by the ${report.floorStreams}-stream floor (one connection per core).`
      : `The floor is what PostgreSQL itself needs for the same JSON lines: \`psql \\copy\` of the already-extracted lines into \`tweets_jsonb\` (CSV with control-byte quote and delimiter, so the JSON passes unchanged). Sequential rows are divided by the one-stream floor, parallel rows by the ${report.floorStreams}-stream floor (one \`psql\` per core).`,
  );
  if (chartPath)
    parts.push(
      `![Elapsed seconds per database, sequential and parallel, with the floor](${chartPath})`,
    );
  const targets = renderTargetsTable(report);
  if (targets) {
    const main = report.dataSets.find((d) => d.key === report.mainData);
    parts.push(
      `The loaders' targets, judged on this data set (${formatCount(main?.tweets ?? 0)} tweets; they are set for the full-size 10 × 10,000):\n\n${targets}`,
    );
  }
  parts.push(...renderShapeSections(report));
  const jobs = renderJobsTable(report);
  if (jobs) parts.push(`Parallel speedup (time, and speedup over \`--jobs 1\`):\n\n${jobs}`);
  parts.push(...renderScalingSections(report));
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

/** The load average, and a warning when other work shared the cores with the benchmark. */
function loadNote(m: BenchReport["machine"]): string {
  if (!m.loadAverage) return "";
  const { start, end } = m.loadAverage;
  const busy = Math.max(start, end) > m.cores;
  return `; load average ${start.toFixed(1)} at the start, ${end.toFixed(1)} at the end${busy ? " (other work shared the cores: expect noise)" : ""}`;
}
