import { isLoadCase } from "../cases/load.js";
import type { BenchReport } from "../types.js";
import { formatCount, formatMB, formatRatio, timeRatio } from "./format.js";
import { ReportIndex } from "./summary.js";
import { atLeast, atMost, type TargetCheck } from "./target-check.js";

/**
 * The loaders' own targets (parallel = the parallel column): denormalized within 1.10×
 * of the per-core floor (1.15× before); normalized ≥ 2,000 tweets/s sequential and
 * ≥ 4,000 parallel; normalized_batch ≥ 12,000 tweets/s parallel and ≤ 1.3× the
 * denormalized time; the batched constrained loader ≤ 1.5× the normalized_batch time and
 * ≥ 5× faster than the per-tweet loader; every load under 512 MB. Targets whose cases
 * were not measured are left out.
 */
export function loaderTargets(report: BenchReport): TargetCheck[] {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  const par = (id: string) => (pj === undefined ? undefined : index.load(id, pj));
  const seq = (id: string) => index.load(id, 1);
  const checks: TargetCheck[] = [];
  atMost(
    checks,
    "pg_denormalized parallel ≤ 1.10 × floor (per-core streams)",
    timeRatio(par("denormalized"), index.copy(report.floorStreams)),
    1.1,
  );
  atLeast(checks, "pg_normalized sequential ≥ 2,000 tweets/s", seq("normalized"), 2000);
  atLeast(checks, "pg_normalized parallel ≥ 4,000 tweets/s", par("normalized"), 4000);
  const floor = pj === undefined ? undefined : index.commitFloor(pj);
  const perTweet = checks.at(-1);
  if (floor?.commits !== undefined && perTweet?.target.startsWith("pg_normalized parallel")) {
    // One commit per tweet: the server's commit rate bounds the per-tweet loader.
    perTweet.measured += ` (commit floor: ${formatCount(floor.commits / floor.wallSeconds)} commits/s on ${pj} connections)`;
  }
  atLeast(checks, "pg_normalized_batch parallel ≥ 12,000 tweets/s", par("normalized_batch"), 12000);
  atMost(
    checks,
    "pg_normalized_batch parallel ≤ 1.3 × pg_denormalized parallel",
    timeRatio(par("normalized_batch"), par("denormalized")),
    1.3,
  );
  atMost(
    checks,
    "pg_normalized, batched parallel ≤ 1.5 × pg_normalized_batch parallel",
    timeRatio(par("normalized_batched"), par("normalized_batch")),
    1.5,
  );
  const speedup = timeRatio(par("normalized"), par("normalized_batched"));
  if (speedup !== undefined) {
    checks.push({
      target: "pg_normalized, batched parallel ≥ 5 × faster than pg_normalized parallel",
      measured: `${formatRatio(speedup)} faster`,
      met: speedup >= 5,
    });
  }
  const peaks = report.results
    .filter((r) => isLoadCase(r.case) && r.case.data === report.mainData)
    .flatMap((r) => r.samples.flatMap((s) => (s.maxRssMB === undefined ? [] : [s.maxRssMB])));
  if (peaks.length > 0) {
    const peak = Math.max(...peaks);
    checks.push({
      target: "peak memory of every load < 512 MB",
      measured: formatMB(peak),
      met: peak < 512,
    });
  }
  return checks;
}
