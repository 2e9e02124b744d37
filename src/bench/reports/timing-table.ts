import type { BenchReport } from "../types.js";
import {
  copyTool,
  formatCount,
  formatRatio,
  formatSeconds,
  markdownTable,
  timeRatio,
} from "./format.js";
import { type CaseSummary, ReportIndex } from "./summary.js";

const time = (s: CaseSummary | undefined) => (s ? formatSeconds(s.wallSeconds) : "—");
const rate = (s: CaseSummary | undefined) => (s ? formatCount(s.tweetsPerSecond) : "—");
const ratio = (s: CaseSummary | undefined, floor: CaseSummary | undefined) =>
  formatRatio(timeRatio(s, floor));

/**
 * The assignment's timing table: one row per loader (`pg_normalized`,
 * `pg_normalized_batch`, `pg_denormalized`, …), elapsed time sequential and
 * parallel, tweets/s, and each time divided by its floor — the one-stream
 * `psql \copy` for sequential rows, the one-stream-per-core copy for parallel
 * rows — followed by the floor rows themselves and, when measured, the course's
 * shell pipeline as a reference.
 */
export function renderTimingTable(report: BenchReport): string {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  const floorSeq = index.copy(1);
  const floorPar = index.copy(report.floorStreams);
  const par = pj === undefined ? "parallel" : `parallel (${pj} jobs)`;
  const header = [
    "database",
    "sequential",
    par,
    "tweets/s sequential",
    "tweets/s parallel",
    "sequential ÷ floor (1 stream)",
    `parallel ÷ floor (${report.floorStreams} streams)`,
  ];
  const rows: string[][] = [];
  for (const v of report.variants) {
    const seq = index.load(v.id, 1);
    const parallel = pj === undefined ? undefined : index.load(v.id, pj);
    rows.push([
      v.label,
      time(seq),
      time(parallel),
      rate(seq),
      rate(parallel),
      ratio(seq, floorSeq),
      ratio(parallel, floorPar),
    ]);
  }
  rows.push([
    `floor: \`${copyTool(report)}\` into \`tweets_jsonb\``,
    `${time(floorSeq)} (1 stream)`,
    `${time(floorPar)} (${report.floorStreams} streams)`,
    rate(floorSeq),
    rate(floorPar),
    ratio(floorSeq, floorSeq),
    ratio(floorPar, floorPar),
  ]);
  const pipe = pj === undefined ? undefined : index.pipeline(pj);
  if (pipe) {
    rows.push([
      `reference: \`unzip | sed | psql\` through GNU parallel -j ${pj}`,
      "—",
      time(pipe),
      "—",
      rate(pipe),
      "—",
      ratio(pipe, floorPar),
    ]);
  }
  const read = index.read();
  rows.push(["floor: read + decompress only", time(read), "—", rate(read), "—", "—", "—"]);
  return markdownTable(header, rows);
}
