import type { DbKind } from "../db/kinds.js";
import type { FileIdentity } from "../input/file-identity.js";
import type { SkippedMember } from "../input/types.js";
import type { LoaderId } from "../load/registry.js";
import type { NoticeCounts } from "../transform/notices.js";
import type { FileSettings } from "./load-options.js";
import type { MemberReport } from "./member-reports.js";

/** One unit of work: one file into one database. The pool runs one task per worker at a time. */
export interface LoadTask extends FileSettings {
  file: string;
  db: DbKind;
  /** Connection URL of the database (may hold a password: never print it). */
  url: string;
  /** Which loader loads the file (the registry's id: plain data, it crosses to a worker). */
  loader: LoaderId;
  /**
   * Two Int32s for loaders that commit as they go: the file's tweets committed so far, and
   * the backend's pid, so that the pool can report a file whose worker died (see pool.ts).
   */
  committed?: SharedArrayBuffer;
  /**
   * Load the file in chunks of this many lines on the pool's workers (chunked-file.ts);
   * unset: the file is one task. A resumed load reuses the stored chunk size.
   */
  chunkLines?: number;
  /**
   * What the journal knows the file by when it is not the file's own hash: a copy of
   * standard input (spool-stdin.ts), known by its content after decompression.
   */
  identity?: FileIdentity;
}

/**
 * How a file ends: `loaded`; `skipped` (the journal lists it); `failed` (nothing of it is in
 * the database); `partial` (a loader that commits as it goes stopped midway: `tweets` of it
 * are committed, and the same command run again finishes it).
 */
export type FileStatus = "loaded" | "skipped" | "failed" | "partial";

/** The outcome of one task, as the summary and `--json` print it. */
export interface FileReport {
  file: string;
  db: DbKind;
  /** Tweets of the file in the database: all of them when loaded, those committed when partial. */
  tweets: number;
  rejects: number;
  /** Stream notices skipped, per kind. */
  notices: NoticeCounts;
  seconds: number;
  tweetsPerSecond: number;
  status: FileStatus;
  error?: string;
  /** Transactions the loader repeated after a deadlock or serialization failure. */
  retries?: number;
  /** Where this file's rejected lines were written (when there were any). */
  rejectsFile?: string;
  /** Times the whole file was tried again after a lost connection or a deadlock. */
  attempts?: number;
  /** Why a file was skipped, for people. */
  note?: string;
  /** Zip members passed over as not tweet data (macOS metadata, directories). */
  skippedMembers?: SkippedMember[];
  /** A tar loaded by member: what each member put in (member-reports.ts). */
  members?: MemberReport[];
}

/** What a runner tells the display while it works. Progress is throttled by the sender. */
export type RunEvent =
  | { type: "start"; file: string; db: DbKind }
  | { type: "progress"; file: string; db: DbKind; tweets: number }
  | { type: "done"; report: FileReport };

export type RunListener = (event: RunEvent) => void;

/** How often (in tweets) a running file reports progress. */
export const PROGRESS_EVERY = 1000;

/** The report of a task an interrupted run never started. */
export function notStarted(task: LoadTask): FileReport {
  return {
    file: task.file,
    db: task.db,
    tweets: 0,
    rejects: 0,
    notices: {},
    seconds: 0,
    tweetsPerSecond: 0,
    status: "failed",
    error: "interrupted: not started",
  };
}
