import { CASE_GROUPS, type CaseGroup } from "./case-groups.js";
import type { DataSource } from "./data-sets.js";
import type { BenchCase, LoaderVariant } from "./types.js";

export interface CasePlan {
  /** The N-file sets, then the sets derived from the main one (one file, v2 pages). */
  dataSources: DataSource[];
  variants: readonly LoaderVariant[];
  /** `--jobs` values of the N-file sets. */
  jobs: readonly number[];
  floorStreams: number;
  /** Groups to run; all when absent. */
  groups?: readonly CaseGroup[];
  /** `--jobs` values of the one-file set (default: `jobs`). */
  oneFileJobs?: readonly number[];
  /** The parallel column's jobs: the pipeline's `-j`, the v2 loads', the commit floor's connections. */
  parallelJobs?: number;
}

/**
 * Every case of the plan in the order one round runs them: per N-file set the
 * floors, the shell pipeline and every loader at every `--jobs`; then the same
 * tweets in one archive, as v2 pages, and the commit floor.
 */
export function planCases(plan: CasePlan): BenchCase[] {
  const groups = new Set<CaseGroup>(plan.groups ?? CASE_GROUPS);
  const pj = plan.parallelJobs ?? Math.max(...plan.jobs);
  const cases: BenchCase[] = [];
  const loads = (data: string, jobs: readonly number[]) => {
    for (const v of plan.variants) {
      for (const j of jobs) {
        cases.push({ type: "load", variant: v.id, label: v.label, db: v.db, jobs: j, data });
      }
    }
  };
  const primary = plan.dataSources.filter((s) => s.derived === undefined);
  for (const { key: data } of primary) {
    if (groups.has("floor")) {
      cases.push({ type: "read", data });
      cases.push({ type: "copy", streams: 1, data });
      if (plan.floorStreams > 1) cases.push({ type: "copy", streams: plan.floorStreams, data });
    }
    if (groups.has("files")) loads(data, plan.jobs);
  }
  for (const source of plan.dataSources) {
    const d = source.derived;
    if (d?.shape === "one-file" && groups.has("one-file")) {
      loads(source.key, plan.oneFileJobs ?? plan.jobs);
    }
    if (d?.shape === "v2-pages" && groups.has("v2")) loads(source.key, [pj]);
  }
  const main = mainSource(plan.dataSources);
  if (main && groups.has("pipeline")) cases.push({ type: "pipeline", jobs: pj, data: main.key });
  if (main && groups.has("commit-floor")) {
    cases.push({ type: "commit-floor", connections: pj, data: main.key });
  }
  return cases;
}

/**
 * The N-file set the comparisons are made on: the one with the most tweets per
 * file when generated, else the first given.
 */
export function mainSource(sources: readonly DataSource[]): DataSource | undefined {
  const primary = sources.filter((s) => s.derived === undefined);
  return [...primary].sort((a, b) => (b.tweetsPerFile ?? 0) - (a.tweetsPerFile ?? 0))[0];
}
