import type { DbKind } from "../db/kinds.js";

/**
 * The shape of one benchmark run, as written by `tweetload bench --json FILE`
 * and read by the report renderers. Everything here is plain data.
 */

/** One loader row of the report: a database and how the loader is invoked. */
export interface LoaderVariant {
  /** Stable key used in JSON and case ids, e.g. `normalized_batch`. */
  id: string;
  /** Row label in the table, e.g. `pg_normalized_batch`. */
  label: string;
  /** The database kind passed to `tweetload load --db`. */
  db: DbKind;
  /** Extra arguments for `tweetload load` (e.g. a batching switch). */
  extraArgs: readonly string[];
}

/**
 * What one measured case runs: its kind (`type`, one of the kinds in cases/registry.ts,
 * which also says what the kind's other fields mean) and the key of the data set it runs
 * on. The kinds' own types (LoadCase, …) are the fields each kind writes.
 */
export interface BenchCase {
  type: string;
  data: string;
  [field: string]: unknown;
}

/** One repetition of one case. */
export interface Sample {
  /** Wall time from starting the client process(es) to their exit. */
  wallSeconds: number;
  tweets: number;
  /** The loader's own elapsed time from its summary (wall time less process start-up). */
  loaderSeconds?: number;
  /** Client CPU time (user, system) as reported by the loader; absent for psql. */
  userCpuSeconds?: number;
  systemCpuSeconds?: number;
  /** Peak resident memory of the client process (all worker threads). */
  maxRssMB?: number;
  /** `count(*)` of every table after the load. */
  rows?: Record<string, number>;
  /** Server-side work of the case, from counters read before and after it. */
  server?: ServerCounters;
  /** Transactions committed by a commit-floor case (`tweets` is 0 there). */
  commits?: number;
  /** Bytes on disk of the loaded table with its TOAST (a storage case). */
  bytes?: number;
  /** Seconds of each checker query, in sql/'s order, after the load (a storage case). */
  querySeconds?: number[];
  /** Why the case could not run on this server (lz4 on a build without it): no figures. */
  unavailable?: string;
}

/** What the server did during one case: WAL written and transactions committed. */
export interface ServerCounters {
  /** Bytes of WAL the whole cluster wrote (difference of `pg_current_wal_lsn()`). */
  walBytes: number;
  /** Commits in the loaded database (`pg_stat_database.xact_commit`; flushed when backends exit). */
  xactCommit: number;
}

export interface CaseResult {
  case: BenchCase;
  samples: Sample[];
}

/** A data set the cases load; `key` is what `BenchCase.data` refers to. */
export interface DataSet {
  key: string;
  dir: string;
  files: number;
  /** Tweets per file when the set was generated, else undefined. */
  tweetsPerFile?: number;
  /** Loadable JSON lines found when extracting (after the NUL rule, bad lines dropped). */
  tweets: number;
  /** Size of the archives on disk. */
  archiveBytes: number;
  /** Size of the extracted JSON lines. */
  jsonBytes: number;
  /**
   * Set for a set made from another (`of`, its key) holding the same tweets in another
   * shape: all of them in one archive, or as API v2 response pages.
   */
  derived?: { of: string; shape: DerivedShape };
}

/**
 * A shape the same tweets are loaded in beside the N-file v1.1 set (`one-file`,
 * `v2-pages`, …): the `shape` of the case group in cases/registry.ts that makes it.
 */
export type DerivedShape = string;

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGB: number;
  os: string;
  node: string;
  /**
   * One-minute load average when the run started and when it ended: above the
   * number of cores, other work competed with the benchmark.
   */
  loadAverage?: { start: number; end: number };
}

export interface ServerInfo {
  version: string;
  /** Where the servers come from: `embedded` or `external`. */
  provider: string;
  /** Key settings as `SHOW` prints them (fsync, synchronous_commit, shared_buffers, …). */
  settings: Record<string, string>;
  geoMode?: string;
}

export interface BenchReport {
  version: 1;
  /** ISO timestamp of the start of the run. */
  date: string;
  /** The command line that produced the figures. */
  command: string;
  machine: MachineInfo;
  server: ServerInfo;
  runs: number;
  /** `--jobs` values measured; 1 is the sequential column, the largest is the parallel column. */
  jobs: number[];
  /**
   * What copied the floor: `psql` (`\copy`), or `node` (the same COPY sent by
   * pg-copy-streams, used when no psql is installed). Absent means psql.
   */
  floorTool?: "psql" | "node";
  /** Concurrent psql streams of the parallel floor (one per core). */
  floorStreams: number;
  variants: LoaderVariant[];
  dataSets: DataSet[];
  /** Key of the data set the main table shows (the largest). */
  mainData: string;
  results: CaseResult[];
  /** Files the report wrote, relative to the project (e.g. the chart). */
  chartPath?: string;
  /** `--jobs` values of the one-file set (scaling on one big file). */
  oneFileJobs?: number[];
  /** Why a case was not run (a tool missing, data it cannot be made from). */
  notes?: string[];
  /** The previous run's ratios (÷ floor) per loader, for the no-regression targets. */
  baseline?: Baseline;
}

/** Ratios of an earlier run, each loader's time divided by its floor. */
export interface Baseline {
  /** Where they were read from and when they were measured. */
  source: string;
  date: string;
  /** The data set the ratios were measured on: only the same set is compared. */
  data: string;
  tweets: number;
  /** Per loader id: sequential ÷ 1-stream floor and parallel ÷ N-stream floor. */
  ratios: Record<string, { sequential?: number; parallel?: number }>;
}
