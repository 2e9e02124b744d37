import { type CheckOptions, type CheckReport, runChecks } from "../check/run-checks.js";
import type { Targets } from "../db/kinds.js";
import { optionOf, resolveTargets } from "../db/targets.js";

/** What `check` takes: the checker's options and URLs that default as for `tweetload check`. */
export interface CheckApiOptions extends CheckOptions {
  targets?: Partial<Targets>;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the checker queries (sql/) on the three databases and compares the answers with
 * each other and, for the shipped sample, with expected/. `report.ok` says whether all agree.
 */
export async function check(options: CheckApiOptions = {}): Promise<CheckReport> {
  const { targets = {}, env, ...checkOptions } = options;
  return runChecks(await resolveTargets(targets, env, optionOf), checkOptions);
}
