import type { DbKind, Targets } from "../../db/kinds.js";
import type { Storage } from "../../db/storage-names.js";
import type { DataSource } from "../data/data-sets.js";
import type { Extraction } from "../data/extract.js";
import type { TargetCheck } from "../reports/target-check.js";
import type { BenchCase, BenchReport, LoaderVariant, Sample, ServerCounters } from "../types.js";

/**
 * What a case may use while it runs, given by the runner: its data, the run's settings,
 * and the servers. A case times only its own work; resetting, checkpointing and counting
 * are the same for every case, so they come from here.
 */
export interface CaseContext {
  /** The data set the case runs on: its archives. */
  source: DataSource;
  /** Its JSON lines, extracted once before the first round (N-file sets only). */
  extraction: Extraction | undefined;
  /** The run's settings: floor tool, commit-floor seconds, the CLI to start, the loader rows. */
  plan: CaseSettings;
  targets: Targets;
  /**
   * Empties the database of `kind` (its schema applied again; pg_denormalized in `storage`,
   * else the default storage) and checkpoints it: its URL.
   */
  freshDatabase(kind: DbKind, storage?: Storage): Promise<string>;
  /** Rows per table of the database at `url` (views left out). */
  tableRows(url: string): Promise<Record<string, number>>;
  /** Runs `work` and reads what the server at `url` wrote and committed meanwhile. */
  serverWork<T>(
    url: string,
    work: () => Promise<T>,
  ): Promise<{ result: T; server?: ServerCounters }>;
}

/** The settings of a run that cases read. */
export interface CaseSettings {
  variants: readonly LoaderVariant[];
  /** What sends the floor's COPY: psql, or node when psql is missing. */
  floorTool: "psql" | "node";
  /** How long the commit floor sends its INSERTs. */
  commitFloorSeconds: number;
  /** `bin/tweetload.js` of this package. */
  cliPath: string;
}

/** What a case is expected to cost: only for the estimate printed before a run. */
export interface CaseCost {
  tweets: number;
  /** Per-tweet cost of the set's shape against N files of v1.1 lines (v2 pages: up to 1.2). */
  factor: number;
  /** The set loads on one core whatever `--jobs` (one archive). */
  oneCore: boolean;
  commitFloorSeconds: number;
}

/** Resetting the database, a checkpoint and starting the client, per case. */
export const CASE_OVERHEAD_S = 1.5;

/** Seconds of a case that costs `us` µs per tweet on the README's 2-core machine. */
export const perTweetSeconds = (us: number, cost: CaseCost) =>
  (us * cost.tweets) / 1e6 + CASE_OVERHEAD_S;

/**
 * One kind of measurement (a `type` of the results JSON): how it runs and how the
 * progress lines, the estimate and the table of every case speak of it.
 */
export interface CaseKind<C extends BenchCase = BenchCase> {
  type: C["type"];
  /** The case in words, for the progress lines. */
  describe(c: C, variants: readonly LoaderVariant[]): string;
  /** The first two cells of its row in the table of every case: what ran, and how many at once. */
  detailsCells(c: C, report: BenchReport): [string, string];
  /** Seconds one run is expected to take (overhead included). */
  estimateSeconds(c: C, cost: CaseCost): number;
  /** Runs the case once and returns its figures. */
  run(c: C, ctx: CaseContext): Promise<Sample>;
}

/** What a group's cases are planned from. */
export interface GroupPlan {
  variants: readonly LoaderVariant[];
  /** `--jobs` values of the N-file sets. */
  jobs: readonly number[];
  /** `--jobs` values of the one-file set (default: `jobs`). */
  oneFileJobs?: readonly number[];
  floorStreams: number;
  /** The parallel column's jobs: the pipeline's `-j`, the v2 loads', the commit floor's connections. */
  parallelJobs: number;
}

/** What a group may use to make its data before the run, or to find that it cannot run. */
export interface PrepareContext {
  /** The seed of the generated sets; undefined for the user's own `--data`. */
  seed: number | undefined;
  /** The N-file set the comparisons are made on. */
  main: DataSource;
  /** Where made data sets are kept between runs. */
  root: string;
  log: (line: string) => void;
}

/** A set the group made (the same tweets in its shape), or why it cannot run here. */
export type Prepared = { derived: DataSource } | { skip: string } | undefined;

/**
 * Where a group's words go among the report's fixed parts (the context, the timing table,
 * the floor, the chart, the targets, the notes, the scaling and the table of every case):
 * beside the timing table, with the references after the targets, with the other shapes,
 * or with the scaling tables; `readme` is also shown in the README's short section.
 */
export type SectionSlot = "besideTable" | "references" | "otherShapes" | "scaling" | "readme";

/** The same tweets in another shape, made by a group before the run. */
export interface Shape {
  /** `derived.shape` of the data set. */
  name: string;
  /** In the table of every case: `pg_normalized, one file`. */
  label: string;
  /** In a mismatch: `… loaded 600 tweets from the same tweets in one archive …`. */
  words: string;
  cost?: { factor?: number; oneCore?: boolean };
}

/**
 * A group of cases, chosen by its name in `--cases`: the kinds of case it brings, when
 * its cases run, the data it makes first, and what the report says of its figures.
 */
export interface CaseGroup {
  /** Kinds of case this group brings; groups that reuse a kind (a load) leave it out. */
  kinds?: readonly CaseKind[];
  /**
   * When its cases run in a round: on every N-file set, on the set of its `shape`, or once
   * on the main set after the others.
   */
  stage: "each-set" | "shape" | "main";
  /** For the `shape` stage: the shape of the set it loads. */
  shape?: Shape;
  /** Makes the data it needs, or says why it cannot run here (the report keeps the note). */
  prepare?(ctx: PrepareContext): Promise<Prepared>;
  /** Its cases on the data set `data`, in the order a round runs them. */
  plan(p: GroupPlan, data: string): BenchCase[];
  /** Paragraphs of the report, by where they go; nothing when its cases were not measured. */
  sections?: Partial<Record<SectionSlot, (report: BenchReport) => string[]>>;
  /** Its targets, judged where its cases were measured. */
  targets?(report: BenchReport): TargetCheck[];
}
