import type { BenchReport } from "../types.js";
import { formatCount, formatRatio, markdownTable, timeRatio } from "./format.js";
import { likelyLimit, type PerCoreCost, perCoreCost } from "./per-core-cost.js";
import { ReportIndex } from "./summary.js";

const us = (v: number | undefined) => (v === undefined ? "—" : `${v.toFixed(0)} µs`);

/**
 * Per loader and `--jobs` value on the one big file: the wall time per tweet
 * times the cores in use (a load on C cores takes about tweets × this ÷ C while
 * it scales), the client's CPU per tweet, the server's WAL and commits per
 * tweet, and, at the largest `--jobs`, what most likely stops the scaling.
 */
export function renderPerCoreTable(report: BenchReport): string | undefined {
  const index = new ReportIndex(report);
  const key = index.derivedKey("one-file");
  const jobs = [...(report.oneFileJobs ?? [])].sort((a, b) => a - b);
  if (key === undefined || jobs.length === 0) return undefined;
  const cores = report.machine.cores;
  const header = [
    "database",
    "--jobs",
    "cores in use",
    "wall × cores per tweet",
    "client CPU per tweet",
    "client share of the machine",
    "WAL per tweet",
    "commits per tweet",
    "likely limit",
  ];
  const rows: string[][] = [];
  for (const v of report.variants) {
    const base = index.load(v.id, 1, key);
    const top = Math.max(...jobs.filter((j) => index.load(v.id, j, key)));
    for (const j of jobs) {
      const s = index.load(v.id, j, key);
      if (!s) continue;
      const cost: PerCoreCost = perCoreCost(s, j, cores);
      const speedup = timeRatio(base, s);
      rows.push([
        v.label,
        `${j}${speedup === undefined ? "" : ` (${formatRatio(speedup)})`}`,
        `${cost.cores}`,
        us(cost.wallUsPerTweetCore),
        us(cost.clientCpuUsPerTweet),
        cost.clientShare === undefined ? "—" : `${Math.round(cost.clientShare * 100)}%`,
        cost.walBytesPerTweet === undefined ? "—" : `${formatCount(cost.walBytesPerTweet)} B`,
        cost.commitsPerTweet === undefined ? "—" : cost.commitsPerTweet.toFixed(2),
        j === top ? likelyLimit(cost, speedup) : "",
      ]);
    }
  }
  return rows.length === 0 ? undefined : markdownTable(header, rows, [0, header.length - 1]);
}
