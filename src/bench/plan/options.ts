import { dirname, join } from "node:path";
import { UserError } from "../../errors.js";
import { requireWholeNumber } from "../../option-checks.js";
import { projectPath } from "../../paths.js";
import type { CaseGroupName } from "../cases/registry.js";
import type { LoaderVariant } from "../types.js";
import { parseCaseGroups } from "./case-groups.js";
import { LOADER_VARIANTS } from "./variants.js";

/** The bench flags as yargs hands them over. */
export interface BenchArgs {
  runs: number;
  jobs?: string;
  sizes?: string;
  files?: number;
  tweetsPerFile?: number;
  seed: number;
  data?: string;
  db?: string;
  floorStreams: number;
  floorTool: string;
  json?: string;
  svg?: string;
  updateReadme: boolean;
  readme: string;
  /** The page of every timing table; default docs/timing.md beside the README. */
  timingPage?: string;
  yes: boolean;
  from?: string;
  cases?: string;
  oneFileJobs?: string;
  commitFloorSeconds?: number;
  baseline?: string;
}

export const DEFAULT_FILES = 10;
export const DEFAULT_TWEETS_PER_FILE = 10_000;
/** `--jobs` of the one-file set: scaling on one big file. */
export const DEFAULT_ONE_FILE_JOBS = [1, 2, 4];
export const DEFAULT_COMMIT_FLOOR_SECONDS = 3;

/** What to run, decided from the flags alone (no I/O). */
export interface BenchSettings {
  runs: number;
  /** Sorted, 1 first; `undefined` = 1 and the number of files (decided once the data is known). */
  jobs?: number[];
  data: { dir: string } | { files: number; sizes: number[]; seed: number };
  variants: LoaderVariant[];
  floorStreams: number;
  /** `auto` = psql when installed, else node. */
  floorTool: "auto" | "psql" | "node";
  /** Where to write the JSON and the chart, if anywhere. */
  jsonPath?: string;
  svgPath?: string;
  /** Write the README's short timing section and the timing page's full one. */
  updateReadme: boolean;
  readmePath: string;
  timingPagePath: string;
  groups: CaseGroupName[];
  /** Sorted, 1 first; the parallel jobs value is added once it is known. */
  oneFileJobs: number[];
  commitFloorSeconds: number;
  /** Earlier results the no-regression targets compare with (read if present). */
  baselinePath: string;
}

/** Parses `1,2,4` into positive integers, naming the flag in the error. */
export function parseList(text: string, flag: string): number[] {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const values = parts.map(Number);
  if (parts.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new UserError(
      `--${flag} takes positive whole numbers separated by commas (e.g. 1,2,4), not "${text}".`,
      2,
    );
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

export function benchSettings(args: BenchArgs): BenchSettings {
  requireWholeNumber("--runs", args.runs, 1);
  requireWholeNumber("--floor-streams", args.floorStreams, 1);
  if (!["auto", "psql", "node"].includes(args.floorTool)) {
    throw new UserError(`--floor-tool is auto, psql or node, not "${args.floorTool}".`, 2);
  }
  const jobs = args.jobs === undefined ? undefined : parseList(args.jobs, "jobs");
  if (jobs && jobs[0] !== 1) jobs.unshift(1);
  let data: BenchSettings["data"];
  if (args.data !== undefined) {
    if (args.sizes !== undefined || args.files !== undefined || args.tweetsPerFile !== undefined) {
      throw new UserError(
        "--data names your own archives; --sizes, --files and --tweets-per-file only shape the generated set: use one or the other.",
        2,
      );
    }
    data = { dir: args.data };
  } else {
    if (args.sizes !== undefined && args.tweetsPerFile !== undefined) {
      throw new UserError(
        "--sizes already gives the tweets per file of each data set; drop --tweets-per-file.",
        2,
      );
    }
    const files = args.files ?? DEFAULT_FILES;
    if (!Number.isInteger(files) || files < 1)
      throw new UserError(`--files must be at least 1, not ${files}.`, 2);
    const sizes =
      args.sizes !== undefined
        ? parseList(args.sizes, "sizes")
        : parseList(String(args.tweetsPerFile ?? DEFAULT_TWEETS_PER_FILE), "tweets-per-file");
    data = { files, sizes, seed: args.seed };
  }
  let variants = [...LOADER_VARIANTS];
  if (args.db !== undefined) {
    const wanted = args.db
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const unknown = wanted.filter((w) => !LOADER_VARIANTS.some((v) => v.id === w));
    if (unknown.length > 0 || wanted.length === 0) {
      throw new UserError(
        `--db takes a comma-separated list of ${LOADER_VARIANTS.map((v) => v.id).join(", ")}; unknown: ${unknown.join(", ") || "(empty)"}.`,
        2,
      );
    }
    variants = variants.filter((v) => wanted.includes(v.id));
  }
  const commitFloorSeconds = args.commitFloorSeconds ?? DEFAULT_COMMIT_FLOOR_SECONDS;
  if (!(commitFloorSeconds > 0 && commitFloorSeconds <= 600)) {
    throw new UserError(
      `--commit-floor-seconds must be more than 0 and at most 600, not ${args.commitFloorSeconds}.`,
      2,
    );
  }
  const oneFileJobs =
    args.oneFileJobs === undefined
      ? [...DEFAULT_ONE_FILE_JOBS]
      : parseList(args.oneFileJobs, "one-file-jobs");
  if (oneFileJobs[0] !== 1) oneFileJobs.unshift(1);
  const settings: BenchSettings = {
    groups: parseCaseGroups(args.cases),
    oneFileJobs,
    commitFloorSeconds,
    baselinePath: args.baseline ?? projectPath("bench-results", "bench.json"),
    runs: args.runs,
    data,
    variants,
    floorStreams: args.floorStreams,
    floorTool: args.floorTool as BenchSettings["floorTool"],
    updateReadme: args.updateReadme,
    readmePath: args.readme,
    timingPagePath: args.timingPage ?? join(dirname(args.readme), "docs", "timing.md"),
  };
  if (jobs) settings.jobs = jobs;
  // --update-readme publishes the chart and the raw figures unless told otherwise. The
  // JSON goes to bench-results/, which the formatter leaves alone (JSON.stringify's
  // layout is not biome's), the chart to docs/ beside the README's other pictures.
  const json =
    args.json ?? (args.updateReadme ? projectPath("bench-results", "bench.json") : undefined);
  const svg = args.svg ?? (args.updateReadme ? projectPath("docs", "bench.svg") : undefined);
  if (json) settings.jsonPath = json;
  if (svg) settings.svgPath = svg;
  return settings;
}
