import type { DbKind } from "../db/kinds.js";

/** One unit of work: one file into one database. The pool runs one task per worker at a time. */
export interface LoadTask {
  file: string;
  db: DbKind;
  /** Connection URL of the database (may hold a password: never print it). */
  url: string;
  batchSize: number;
  /** Use the kind's batched loader where it has one (`load --batch`). */
  batched?: boolean;
  /** Directory for reject files (JSON lines); without it rejects are only counted and warned. */
  rejectsDir?: string;
}

export type FileStatus = "loaded" | "skipped" | "failed";

/** The outcome of one task, as the summary and `--json` print it. */
export interface FileReport {
  file: string;
  db: DbKind;
  tweets: number;
  rejects: number;
  seconds: number;
  tweetsPerSecond: number;
  status: FileStatus;
  error?: string;
  /** Transactions the loader repeated after a deadlock or serialization failure. */
  retries?: number;
}

/** What a runner tells the display while it works. Progress is throttled by the sender. */
export type RunEvent =
  | { type: "start"; file: string; db: DbKind }
  | { type: "progress"; file: string; db: DbKind; tweets: number }
  | { type: "done"; report: FileReport };

export type RunListener = (event: RunEvent) => void;

/** How often (in tweets) a running file reports progress. */
export const PROGRESS_EVERY = 1000;
