import type { GroupPlan } from "../cases/case.js";
import { CASE_GROUPS, type CaseGroupName, groupsNamed } from "../cases/registry.js";
import type { DataSource } from "../data/data-sets.js";
import type { BenchCase, LoaderVariant } from "../types.js";

export interface CasePlan {
  /** The N-file sets, then the sets derived from the main one (one file, v2 pages). */
  dataSources: DataSource[];
  variants: readonly LoaderVariant[];
  /** `--jobs` values of the N-file sets. */
  jobs: readonly number[];
  floorStreams: number;
  /** Groups to run; all when absent. */
  groups?: readonly CaseGroupName[];
  /** `--jobs` values of the one-file set (default: `jobs`). */
  oneFileJobs?: readonly number[];
  /** The parallel column's jobs: the pipeline's `-j`, the v2 loads', the commit floor's connections. */
  parallelJobs?: number;
}

/**
 * Every case of the plan in the order one round runs them: per N-file set the cases of
 * the groups that run on each set (the floors, every loader at every `--jobs`); then the
 * cases on each derived set (the same tweets in one archive, as v2 pages); then those run
 * once on the main set (the shell pipeline, the commit floor). Within a stage, groups go
 * in the registry's order.
 */
export function planCases(plan: CasePlan): BenchCase[] {
  const groups = groupsNamed(plan.groups ?? CASE_GROUPS);
  const input: GroupPlan = {
    variants: plan.variants,
    jobs: plan.jobs,
    floorStreams: plan.floorStreams,
    parallelJobs: plan.parallelJobs ?? Math.max(...plan.jobs),
    ...(plan.oneFileJobs ? { oneFileJobs: plan.oneFileJobs } : {}),
  };
  const cases: BenchCase[] = [];
  for (const { key } of plan.dataSources.filter((s) => s.derived === undefined)) {
    for (const g of groups) if (g.stage === "each-set") cases.push(...g.plan(input, key));
  }
  for (const source of plan.dataSources) {
    const shape = source.derived?.shape;
    for (const g of groups) {
      if (g.stage === "shape" && shape !== undefined && g.shape?.name === shape) {
        cases.push(...g.plan(input, source.key));
      }
    }
  }
  const main = mainSource(plan.dataSources);
  if (main) for (const g of groups) if (g.stage === "main") cases.push(...g.plan(input, main.key));
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
