import type { CaseGroup, CaseKind, Shape } from "./case.js";
import { commitFloorCases } from "./commit-floor.js";
import { filesCases } from "./files.js";
import { floorCases } from "./floor.js";
import { oneFileCases } from "./one-file.js";
import { pipelineCases } from "./pipeline.js";
import { storageCases } from "./storage.js";
import { streamGrabCases } from "./stream-grab.js";
import { v2PagesCases } from "./v2-pages.js";

/**
 * Every group of bench cases by the name `--cases` takes, in the order a round runs them
 * and the report shows them. A new case is a file in this folder (its kind, its plan, its
 * data, what the report says of it) and a line here: the plan, the runner, the estimate
 * and the reports ask this registry and name no case. A group's file imports only what
 * its plan and its report need; what a case runs is imported when it runs, so that the
 * command line, which lists these names, starts as fast as before.
 */
export const BENCH_CASES = {
  floor: floorCases,
  files: filesCases,
  "one-file": oneFileCases,
  pipeline: pipelineCases,
  v2: v2PagesCases,
  "commit-floor": commitFloorCases,
  "stream-grab": streamGrabCases,
  storage: storageCases,
} as const satisfies Record<string, CaseGroup>;

export type CaseGroupName = keyof typeof BENCH_CASES;

/** The names `--cases` takes, in the registry's order. */
export const CASE_GROUPS = Object.keys(BENCH_CASES) as CaseGroupName[];

const GROUPS: readonly CaseGroup[] = Object.values(BENCH_CASES);

const KINDS = new Map<string, CaseKind>(
  GROUPS.flatMap((g) => (g.kinds ?? []).map((kind) => [kind.type, kind] as const)),
);

/** The kind of case a `type` of the results JSON names. */
export function caseKind(type: string): CaseKind {
  const kind = KINDS.get(type);
  if (!kind) {
    throw new Error(
      `no bench case of type "${type}": the results were written by another version of tweetload`,
    );
  }
  return kind;
}

/** The groups among `names`, in the registry's order. */
export const groupsNamed = (names: readonly CaseGroupName[]): CaseGroup[] =>
  CASE_GROUPS.filter((name) => names.includes(name)).map((name) => BENCH_CASES[name]);

/** The shape a derived data set was made in, as the group that makes it describes it. */
export function shapeNamed(name: string): Shape | undefined {
  return GROUPS.find((g) => g.shape?.name === name)?.shape;
}
