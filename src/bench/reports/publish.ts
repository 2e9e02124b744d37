import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { MissingMarkersError, UserError } from "../../errors.js";
import type { BenchReport } from "../types.js";
import { replaceMarkedSection } from "./markers.js";
import { renderReadmeSummary, renderTimingPage } from "./page.js";
import { renderChartSvg } from "./svg.js";

/** Where `to` lies seen from the folder of `from`, with forward slashes (a Markdown link). */
const linkFrom = (from: string, to: string) => relative(dirname(from), to).split(sep).join("/");

async function readMarked(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(`--update-readme: cannot read ${path}.`, 1, { cause: error });
  }
  replaceMarked(text, "", path);
  return text;
}

function replaceMarked(text: string, body: string, path: string): string {
  try {
    return replaceMarkedSection(text, body, path);
  } catch (error) {
    if (error instanceof MissingMarkersError)
      throw new UserError(`--update-readme: ${error.message}`, 1);
    throw error;
  }
}

/**
 * Fails early, before an hour of benchmarking, when the README or the timing page cannot
 * take the results.
 */
export async function assertReadmeMarkers(readmePath: string, pagePath: string): Promise<void> {
  await readMarked(readmePath);
  await readMarked(pagePath);
}

/**
 * Writes the JSON, the chart, the README's short section and the timing page's full one,
 * as asked; returns what it wrote.
 */
export async function publishReport(
  report: BenchReport,
  paths: { jsonPath?: string; svgPath?: string; readmePath?: string; pagePath?: string },
): Promise<string[]> {
  const written: string[] = [];
  const write = async (path: string, text: string) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    written.push(path);
  };
  const withChart: BenchReport = { ...report };
  if (paths.svgPath) {
    await write(paths.svgPath, renderChartSvg(report));
    const from = paths.readmePath ?? `${process.cwd()}${sep}.`;
    withChart.chartPath = linkFrom(from, paths.svgPath);
  }
  if (paths.jsonPath) await write(paths.jsonPath, `${JSON.stringify(withChart, null, 2)}\n`);
  const chartFrom = (page: string) =>
    paths.svgPath ? linkFrom(page, paths.svgPath) : withChart.chartPath;
  if (paths.readmePath && paths.pagePath) {
    const { readmePath, pagePath } = paths;
    const readme = await readMarked(readmePath);
    const page = await readMarked(pagePath);
    const summary = renderReadmeSummary(
      withChart,
      linkFrom(readmePath, pagePath),
      chartFrom(readmePath),
    );
    await write(readmePath, replaceMarked(readme, summary, readmePath));
    const full = renderTimingPage(withChart, chartFrom(pagePath));
    await write(pagePath, replaceMarked(page, full, pagePath));
  }
  return written;
}
