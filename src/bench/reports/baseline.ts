import { readFile } from "node:fs/promises";
import type { Baseline, BenchReport } from "../types.js";
import { timeRatio } from "./format.js";
import { ReportIndex } from "./summary.js";

/**
 * Each loader's time ÷ its floor in `report` (sequential ÷ one stream,
 * parallel ÷ the per-core streams): the figures the no-regression targets
 * compare against, ratios rather than seconds so a busier machine matters less.
 */
export function baselineOf(report: BenchReport, source: string): Baseline {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  const seqFloor = index.copy(1);
  const parFloor = index.copy(report.floorStreams);
  const ratios: Baseline["ratios"] = {};
  for (const v of report.variants) {
    const seq = index.load(v.id, 1);
    const par = pj === undefined ? undefined : index.load(v.id, pj);
    const entry: Baseline["ratios"][string] = {};
    const sequential = timeRatio(seq, seqFloor);
    const parallel = timeRatio(par, parFloor);
    if (sequential !== undefined) entry.sequential = sequential;
    if (parallel !== undefined) entry.parallel = parallel;
    if (Object.keys(entry).length > 0) ratios[v.id] = entry;
  }
  const tweets = report.dataSets.find((d) => d.key === report.mainData)?.tweets ?? 0;
  return { source, date: report.date, data: report.mainData, tweets, ratios };
}

/** The baseline of the results saved at `path`, or undefined when there are none to read. */
export async function readBaseline(path: string): Promise<Baseline | undefined> {
  try {
    const report = JSON.parse(await readFile(path, "utf8")) as BenchReport;
    if (report?.version !== 1 || !Array.isArray(report.results)) return undefined;
    return baselineOf(report, path);
  } catch {
    return undefined;
  }
}
