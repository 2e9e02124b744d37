import { availableParallelism } from "node:os";
import { DEFAULT_REFRESH_TIMEOUT_MS } from "../db/schema.js";
import { UserError } from "../errors.js";
import { DEFAULT_MAX_LINE_BYTES } from "../input/pending-line.js";
import { DEFAULT_RETRY_FOR_MS } from "../load/retry-budget.js";
import { requireWholeNumber } from "../option-checks.js";
import { DEFAULT_CHUNK_LINES } from "./chunk-plan.js";
import { requireHeapForLines } from "./heap-budget.js";
import { DEFAULT_MAX_REJECTS, parseRejectLimit } from "./reject-limit.js";

/**
 * The options of a load, each declared once: what every file of the load is loaded with
 * (the runner copies them into each task, a worker receives them as they are).
 */
export interface FileSettings {
  /** Tweets per COPY batch; default LOAD_DEFAULTS.batchSize. */
  batchSize: number;
  /** Directory for reject files (JSON lines); without it rejects are only counted and warned. */
  rejectsDir?: string;
  /** Rejected lines a file may have before it fails (`100` or `"1%"`, see reject-limit.ts). */
  maxRejects?: number | string;
  /** Load files the journal says are loaded. */
  force?: boolean;
  /** Remove what the earlier load of each file's path put in, then load it (`--replace`). */
  replace?: boolean;
  /** Deprecated cap on further tries of a file (`--retries`); none when unset. */
  retries?: number;
  /**
   * How long a file is tried again after its first lost connection, deadlock or
   * serialization failure (`--retry-for`).
   */
  retryForMs?: number;
  /** Longest line (or JSON array element) read; a longer one is rejected. */
  maxLineBytes?: number;
}

/** The options of a whole load that are not per file. */
export interface RunSettings {
  /** 1 = sequential on this thread; more = a piscina pool of that many workers. */
  jobs: number;
  /**
   * Lines per chunk when files load in chunks on the pool (--chunk-lines; chunk-plan.ts
   * decides when); 0 loads every file whole.
   */
  chunkLines?: number;
  /**
   * How long the views' refresh after the load may run in each database (0: no limit).
   * Past it the views stay as they were (staleViews).
   */
  refreshTimeoutMs?: number;
}

/**
 * Every default of a load, in one place; the reason for each value is written beside its
 * constant. `load()` from the library runs sequentially and writes no reject files unless
 * asked; the command line uses every core and writes reject files (CLI_DEFAULTS).
 */
export const LOAD_DEFAULTS = {
  jobs: 1,
  batchSize: 1000,
  maxRejects: DEFAULT_MAX_REJECTS,
  retryForMs: DEFAULT_RETRY_FOR_MS,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  chunkLines: DEFAULT_CHUNK_LINES,
  refreshTimeoutMs: DEFAULT_REFRESH_TIMEOUT_MS,
} as const satisfies Required<Omit<FileSettings, "rejectsDir" | "force" | "replace" | "retries">> &
  Required<RunSettings>;

/** Where the command line's defaults differ from the library's. */
export const CLI_DEFAULTS = {
  /** One file (or chunk) per core (measured: docs/timing.md). */
  jobs: (): number => availableParallelism(),
  /** Where reject files go unless --rejects says otherwise (git-ignored in the project). */
  rejectsDir: "rejects",
} as const;

/** The command-line flag of each option, which the sentences name. */
const FLAG = {
  jobs: "--jobs",
  batchSize: "--batch-size",
  maxLineBytes: "--max-line-bytes",
  chunkLines: "--chunk-lines",
  retries: "--retries",
  retryForMs: "--retry-for",
  refreshTimeoutMs: "--refresh-timeout",
} as const;

const requireWhole = (key: keyof typeof FLAG, value: number | undefined, least: number) =>
  requireWholeNumber(FLAG[key], value, least);

/**
 * Refuses an option out of its range with the sentence the command line gives for its flag
 * (a UserError, exit 2): `load()` and `tweetload load` refuse the same values the same way.
 */
export function checkLoadOptions(options: Partial<FileSettings & RunSettings>): void {
  requireWhole("jobs", options.jobs, 1);
  requireWhole("batchSize", options.batchSize, 1);
  requireWhole("maxLineBytes", options.maxLineBytes, 1);
  // A line this long must fit in a thread's heap (and in one string): heap-budget.ts.
  if (options.maxLineBytes !== undefined) requireHeapForLines(options.maxLineBytes);
  requireWhole("chunkLines", options.chunkLines, 0);
  requireWhole("retries", options.retries, 0);
  for (const key of ["retryForMs", "refreshTimeoutMs"] as const) {
    const ms = options[key];
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
      throw new UserError(
        `${FLAG[key]} must be a duration of at least 0 ms (${key}), not ${ms}`,
        2,
      );
    }
  }
  if (options.maxRejects !== undefined) {
    try {
      parseRejectLimit(options.maxRejects);
    } catch (error) {
      throw new UserError((error as Error).message, 2, { cause: error });
    }
  }
}

// Every key of FileSettings, once (a key missing here does not compile).
const FILE_SETTING_KEYS = Object.keys({
  batchSize: true,
  rejectsDir: true,
  maxRejects: true,
  force: true,
  replace: true,
  retries: true,
  retryForMs: true,
  maxLineBytes: true,
} satisfies Record<keyof FileSettings, true>) as (keyof FileSettings)[];

/** The per-file settings of `options` that are set: what each of its tasks carries. */
export function fileSettingsOf(options: FileSettings): FileSettings {
  const settings: Record<string, unknown> = {};
  for (const key of FILE_SETTING_KEYS) {
    if (options[key] !== undefined) settings[key] = options[key];
  }
  return settings as unknown as FileSettings;
}
