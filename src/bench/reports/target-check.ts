import { formatCount, formatRatio } from "./format.js";
import type { CaseSummary } from "./summary.js";

/** One speed or memory target of the loaders, judged on the main data set. */
export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** Adds to `checks` a ratio that must stay at most `limit`, when it was measured. */
export function atMost(
  checks: TargetCheck[],
  target: string,
  value: number | undefined,
  limit: number,
): void {
  if (value !== undefined)
    checks.push({ target, measured: formatRatio(value), met: value <= limit });
}

/** Adds to `checks` a rate that must reach `limit` tweets/s, when it was measured. */
export function atLeast(
  checks: TargetCheck[],
  target: string,
  s: CaseSummary | undefined,
  limit: number,
): void {
  if (s) {
    checks.push({
      target,
      measured: `${formatCount(s.tweetsPerSecond)} tweets/s`,
      met: s.tweetsPerSecond >= limit,
    });
  }
}
