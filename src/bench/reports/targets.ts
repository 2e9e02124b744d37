import { CASE_GROUPS, groupsNamed } from "../cases/registry.js";
import type { BenchReport } from "../types.js";
import { markdownTable } from "./format.js";
import { regressionTargets } from "./regression.js";
import type { TargetCheck } from "./target-check.js";

export type { TargetCheck } from "./target-check.js";

/**
 * Every target judged on the report: each group's, in the registry's order (the loaders'
 * own with the N-file loads, then one file against N files, the shell pipeline, v2 pages),
 * then the no-regression targets against the baseline. Targets whose cases were not
 * measured are left out.
 */
export function checkTargets(report: BenchReport): TargetCheck[] {
  return [
    ...groupsNamed(CASE_GROUPS).flatMap((g) => g.targets?.(report) ?? []),
    ...regressionTargets(report),
  ];
}

export function renderTargetsTable(report: BenchReport): string | undefined {
  const checks = checkTargets(report);
  if (checks.length === 0) return undefined;
  return markdownTable(
    ["target", "measured", "met"],
    checks.map((c) => [c.target, c.measured, c.met ? "yes" : "**no**"]),
  );
}
