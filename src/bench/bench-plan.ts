import type { DbKind, Targets } from "../db/targets.js";
import type { CaseGroup } from "./case-groups.js";
import type { DataSource } from "./data-sets.js";
import type { Baseline, LoaderVariant } from "./types.js";

/** What a benchmark run needs from outside: servers, a way to reset them, the data. */
export interface BenchEnvironment {
  targets: Targets;
  /** `embedded` or `external`, recorded with the figures. */
  provider: string;
  /** Drops everything in one database and re-applies its schema. */
  resetDatabase: (url: string, kind: DbKind) => Promise<void>;
}

export interface BenchPlan {
  /** The N-file sets, then the sets derived from the main one (one file, v2 pages). */
  dataSources: DataSource[];
  variants: LoaderVariant[];
  /** `--jobs` values; 1 is always measured (the sequential column). */
  jobs: number[];
  /** `--jobs` values of the one-file set. */
  oneFileJobs: number[];
  /** The parallel column's jobs: the pipeline's `-j`, the v2 loads', the commit floor's connections. */
  parallelJobs: number;
  groups: CaseGroup[];
  runs: number;
  floorStreams: number;
  /** What sends the floor's COPY: psql, or node when psql is missing. */
  floorTool: "psql" | "node";
  /** How long the commit floor sends its INSERTs. */
  commitFloorSeconds: number;
  /** Where the extracted JSON lines go (git-ignored). */
  scratchRoot: string;
  /** `bin/tweetload.js` of this package. */
  cliPath: string;
  command: string;
  /** Why cases were left out, recorded with the figures. */
  notes: string[];
  baseline?: Baseline;
  log: (line: string) => void;
}
