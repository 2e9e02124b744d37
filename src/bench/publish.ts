import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, sep } from "node:path";
import { UserError } from "../errors.js";
import { MissingMarkersError, renderReadmeSection, replaceMarkedSection } from "./report-readme.js";
import { renderChartSvg } from "./report-svg.js";
import type { BenchReport } from "./types.js";

/** Fails early, before an hour of benchmarking, when the README cannot take the results. */
export async function assertReadmeMarkers(readmePath: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(readmePath, "utf8");
  } catch (error) {
    throw new UserError(`--update-readme: cannot read ${readmePath}.`, 1, { cause: error });
  }
  try {
    replaceMarkedSection(text, "", readmePath);
  } catch (error) {
    if (error instanceof MissingMarkersError)
      throw new UserError(`--update-readme: ${error.message}`, 1);
    throw error;
  }
}

/** Writes the JSON, the chart and the README section, as asked; returns what it wrote. */
export async function publishReport(
  report: BenchReport,
  paths: { jsonPath?: string; svgPath?: string; readmePath?: string },
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
    const from = paths.readmePath ? dirname(paths.readmePath) : process.cwd();
    withChart.chartPath = relative(from, paths.svgPath).split(sep).join("/");
  }
  if (paths.jsonPath) await write(paths.jsonPath, `${JSON.stringify(withChart, null, 2)}\n`);
  if (paths.readmePath) {
    const readme = await readFile(paths.readmePath, "utf8");
    let updated: string;
    try {
      updated = replaceMarkedSection(readme, renderReadmeSection(withChart), paths.readmePath);
    } catch (error) {
      if (error instanceof MissingMarkersError)
        throw new UserError(`--update-readme: ${error.message}`, 1);
      throw error;
    }
    await write(paths.readmePath, updated);
  }
  return written;
}
