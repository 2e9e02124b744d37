import type { DbKind, Targets } from "../../db/kinds.js";
import type { Storage } from "../../db/storage-names.js";
import type { CaseSettings } from "../cases/case.js";
import type { CaseGroupName } from "../cases/registry.js";
import type { DataSource } from "../data/data-sets.js";
import type { Baseline, LoaderVariant } from "../types.js";

/** What a benchmark run needs from outside: servers, a way to reset them, the data. */
export interface BenchEnvironment {
  targets: Targets;
  /** `embedded` or `external`, recorded with the figures. */
  provider: string;
  /** Drops everything in one database and re-applies its schema (pg_denormalized's in `storage`). */
  resetDatabase: (url: string, kind: DbKind, storage?: Storage) => Promise<void>;
}

export interface BenchPlan extends CaseSettings {
  variants: LoaderVariant[];
  /** The N-file sets, then the sets derived from the main one (one file, v2 pages). */
  dataSources: DataSource[];
  /** `--jobs` values; 1 is always measured (the sequential column). */
  jobs: number[];
  /** `--jobs` values of the one-file set. */
  oneFileJobs: number[];
  /** The parallel column's jobs: the pipeline's `-j`, the v2 loads', the commit floor's connections. */
  parallelJobs: number;
  groups: CaseGroupName[];
  runs: number;
  floorStreams: number;
  /** Where the extracted JSON lines go (git-ignored). */
  scratchRoot: string;
  command: string;
  /** Why cases were left out, recorded with the figures. */
  notes: string[];
  baseline?: Baseline;
  log: (line: string) => void;
}
