import { caseKind, shapeNamed } from "../cases/registry.js";
import type { BenchCase, DerivedShape } from "../types.js";

export interface EstimateSet {
  tweets: number;
  shape?: DerivedShape;
}

/**
 * Seconds one run of `c` is expected to take (overhead included), from the per-tweet costs
 * of a 2-core machine: only to tell the user before a long run, never reported.
 */
export function estimateCaseSeconds(
  c: BenchCase,
  set: EstimateSet,
  commitFloorSeconds: number,
): number {
  const cost = set.shape === undefined ? undefined : shapeNamed(set.shape)?.cost;
  return caseKind(c.type).estimateSeconds(c, {
    tweets: set.tweets,
    factor: cost?.factor ?? 1,
    oneCore: cost?.oneCore ?? false,
    commitFloorSeconds,
  });
}

/** Seconds the whole plan is expected to take: every case, `runs` times. */
export function estimateSeconds(
  cases: readonly BenchCase[],
  sets: ReadonlyMap<string, EstimateSet>,
  runs: number,
  commitFloorSeconds: number,
): number {
  let total = 0;
  for (const c of cases) {
    const set = sets.get(c.data) ?? { tweets: 0 };
    total += estimateCaseSeconds(c, set, commitFloorSeconds);
  }
  return total * runs;
}
