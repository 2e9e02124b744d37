import { formatCount, formatMB, formatRatio, markdownTable } from "./report-format.js";
import { type CaseSummary, ReportIndex } from "./report-summary.js";
import { moreTargets, type TargetCheck } from "./report-targets-more.js";
import type { BenchReport } from "./types.js";

export type { TargetCheck } from "./report-targets-more.js";

const ratio = (a: CaseSummary | undefined, b: CaseSummary | undefined) =>
  a && b ? a.wallSeconds / b.wallSeconds : undefined;

/**
 * The loader targets set for this project (parallel = the parallel column):
 * denormalized within 1.10× of the per-core floor (issue 16; 1.15× before); normalized ≥ 2,000 tweets/s
 * sequential and ≥ 4,000 parallel; normalized_batch ≥ 12,000 tweets/s parallel
 * and ≤ 1.3× the denormalized time; the batched constrained loader ≤ 1.5× the
 * normalized_batch time and ≥ 5× faster than the per-tweet loader; every
 * load under 512 MB; then the targets of issues 16 and 17 (moreTargets).
 * Targets whose cases were not measured are left out.
 */
export function checkTargets(report: BenchReport): TargetCheck[] {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  const par = (id: string) => (pj === undefined ? undefined : index.load(id, pj));
  const seq = (id: string) => index.load(id, 1);
  const checks: TargetCheck[] = [];
  const atMost = (target: string, value: number | undefined, limit: number) => {
    if (value !== undefined)
      checks.push({ target, measured: formatRatio(value), met: value <= limit });
  };
  const atLeast = (target: string, s: CaseSummary | undefined, limit: number) => {
    if (s)
      checks.push({
        target,
        measured: `${formatCount(s.tweetsPerSecond)} tweets/s`,
        met: s.tweetsPerSecond >= limit,
      });
  };
  atMost(
    "pg_denormalized parallel ≤ 1.10 × floor (per-core streams)",
    ratio(par("denormalized"), index.copy(report.floorStreams)),
    1.1,
  );
  atLeast("pg_normalized sequential ≥ 2,000 tweets/s", seq("normalized"), 2000);
  atLeast("pg_normalized parallel ≥ 4,000 tweets/s", par("normalized"), 4000);
  const floor = pj === undefined ? undefined : index.commitFloor(pj);
  const perTweet = checks.at(-1);
  if (floor?.commits !== undefined && perTweet?.target.startsWith("pg_normalized parallel")) {
    // One commit per tweet: the server's commit rate bounds the per-tweet loader.
    perTweet.measured += ` (commit floor: ${formatCount(floor.commits / floor.wallSeconds)} commits/s on ${pj} connections)`;
  }
  atLeast("pg_normalized_batch parallel ≥ 12,000 tweets/s", par("normalized_batch"), 12000);
  atMost(
    "pg_normalized_batch parallel ≤ 1.3 × pg_denormalized parallel",
    ratio(par("normalized_batch"), par("denormalized")),
    1.3,
  );
  atMost(
    "pg_normalized, batched parallel ≤ 1.5 × pg_normalized_batch parallel",
    ratio(par("normalized_batched"), par("normalized_batch")),
    1.5,
  );
  const speedup = ratio(par("normalized"), par("normalized_batched"));
  if (speedup !== undefined) {
    checks.push({
      target: "pg_normalized, batched parallel ≥ 5 × faster than pg_normalized parallel",
      measured: `${formatRatio(speedup)} faster`,
      met: speedup >= 5,
    });
  }
  const peaks = report.results
    .filter((r) => r.case.type === "load" && r.case.data === report.mainData)
    .flatMap((r) => r.samples.flatMap((s) => (s.maxRssMB === undefined ? [] : [s.maxRssMB])));
  if (peaks.length > 0) {
    const peak = Math.max(...peaks);
    checks.push({
      target: "peak memory of every load < 512 MB",
      measured: formatMB(peak),
      met: peak < 512,
    });
  }
  checks.push(...moreTargets(report));
  return checks;
}

export function renderTargetsTable(report: BenchReport): string | undefined {
  const checks = checkTargets(report);
  if (checks.length === 0) return undefined;
  return markdownTable(
    ["target", "measured", "met"],
    checks.map((c) => [c.target, c.measured, c.met ? "yes" : "**no**"]),
  );
}
