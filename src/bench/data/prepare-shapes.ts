import type { CaseGroupName } from "../cases/registry.js";
import { BENCH_CASES, CASE_GROUPS } from "../cases/registry.js";
import type { BenchSettings } from "../plan/options.js";
import type { DataSource } from "./data-sets.js";

/**
 * Lets each chosen group make what it needs beside the N-file sets (the one big file, the
 * v2 pages), in the registry's order, and drops the groups that cannot run here, each
 * with a note the report keeps (the pipeline without its tools or on archives unzip cannot
 * read, v2 on data the generator did not make).
 */
export async function prepareShapes(opts: {
  settings: BenchSettings;
  main: DataSource;
  root: string;
  log: (line: string) => void;
}): Promise<{ groups: CaseGroupName[]; notes: string[]; derived: DataSource[] }> {
  const { settings, main, root, log } = opts;
  const seed = "dir" in settings.data ? undefined : settings.data.seed;
  const groups: CaseGroupName[] = [];
  const notes: string[] = [];
  const derived: DataSource[] = [];
  for (const name of CASE_GROUPS.filter((g) => settings.groups.includes(g))) {
    const prepared = await BENCH_CASES[name].prepare?.({ seed, main, root, log });
    if (prepared && "skip" in prepared) {
      notes.push(prepared.skip);
      log(`note: ${prepared.skip}`);
      continue;
    }
    if (prepared) derived.push(prepared.derived);
    groups.push(name);
  }
  return { groups, notes, derived };
}
