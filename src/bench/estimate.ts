import type { BenchCase, DerivedShape } from "./types.js";

/**
 * Wall µs per tweet of each case on the 2-core machine of the README's run
 * (100,027 tweets, embedded PostgreSQL 17, 2026-11-21): only to tell the user
 * before a long run roughly how long it will take, never reported as a result.
 */
const LOAD_US: Record<string, { sequential: number; parallel: number }> = {
  normalized: { sequential: 440, parallel: 375 },
  normalized_batch: { sequential: 75, parallel: 60 },
  denormalized: { sequential: 121, parallel: 80 },
  normalized_batched: { sequential: 97, parallel: 80 },
};
const UNKNOWN_LOADER_US = { sequential: 200, parallel: 150 };
const COPY_US = { one: 116, many: 62 };
const READ_US = 16;
const PIPELINE_US = 75;
/** v2 pages cost up to this much more than v1.1 (issue 17's bound). */
const V2_FACTOR = 1.2;
/** Resetting the database, a checkpoint and starting the client, per case. */
const CASE_OVERHEAD_S = 1.5;

export interface EstimateSet {
  tweets: number;
  shape?: DerivedShape;
}

/** Seconds one run of `c` is expected to take (overhead included). */
export function estimateCaseSeconds(
  c: BenchCase,
  set: EstimateSet,
  commitFloorSeconds: number,
): number {
  const per = (us: number) => (us * set.tweets) / 1e6 + CASE_OVERHEAD_S;
  switch (c.type) {
    case "read":
      return per(READ_US);
    case "copy":
      return per(c.streams === 1 ? COPY_US.one : COPY_US.many);
    case "pipeline":
      return per(PIPELINE_US);
    case "commit-floor":
      return commitFloorSeconds + CASE_OVERHEAD_S;
    case "load": {
      const us = LOAD_US[c.variant] ?? UNKNOWN_LOADER_US;
      // Until a file is split among the workers, one archive loads on one core.
      const parallel = c.jobs > 1 && set.shape !== "one-file";
      const base = parallel ? us.parallel : us.sequential;
      return per(set.shape === "v2-pages" ? base * V2_FACTOR : base);
    }
  }
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
