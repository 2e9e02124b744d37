import { redactSecrets } from "../db/targets.js";
import type { SkippedMember } from "../input/types.js";
import type { FileReport, FileStatus, LoadTask } from "./types.js";

/** What a file's load fills in of its report. */
export interface ReportFields {
  tweets?: number;
  rejects?: number;
  notices?: FileReport["notices"];
  error?: string;
  retries?: number;
  rejectsFile?: string;
  note?: string;
  /** Tries of the whole file (reported when more than one). */
  attempts?: number;
}

/**
 * The report of one task, however it was loaded (whole, or in chunks): seconds since the
 * reporter was made, the rate, the error without the URL's password, and the zip members
 * passed over (told to `skippedMembers` meanwhile, each once however often read).
 */
export class FileReporter {
  private readonly started = performance.now();
  readonly skippedMembers = new Map<string, SkippedMember>();

  constructor(private readonly task: Pick<LoadTask, "file" | "db" | "url">) {}

  report(status: FileStatus, fields: ReportFields = {}): FileReport {
    const seconds = (performance.now() - this.started) / 1000;
    const tweets = fields.tweets ?? 0;
    const r: FileReport = {
      file: this.task.file,
      db: this.task.db,
      tweets,
      rejects: fields.rejects ?? 0,
      notices: fields.notices ?? {},
      seconds,
      tweetsPerSecond: seconds > 0 ? tweets / seconds : 0,
      status,
    };
    if (fields.error !== undefined) r.error = redactSecrets(fields.error, [this.task.url]);
    if (fields.retries !== undefined) r.retries = fields.retries;
    if (fields.rejectsFile !== undefined) r.rejectsFile = fields.rejectsFile;
    if (fields.note !== undefined) r.note = fields.note;
    if (fields.attempts !== undefined && fields.attempts > 1) r.attempts = fields.attempts;
    if (this.skippedMembers.size > 0) r.skippedMembers = [...this.skippedMembers.values()];
    return r;
  }
}

/** Why a file the journal lists is skipped: where and when it was loaded. */
export function alreadyLoaded(
  task: Pick<LoadTask, "db">,
  path: string,
  row: { path: string | null; finishedAt: Date; tweets: number },
): string {
  const from = row.path === null || row.path === path ? "" : ` from ${row.path}`;
  return `already loaded into ${task.db}${from} on ${row.finishedAt.toISOString()} (${row.tweets} tweets); --force loads it again`;
}

/** Why a file is skipped that another tweetload finished while this one waited or loaded. */
export const loadedMeanwhile = (task: Pick<LoadTask, "db">): string =>
  `loaded into ${task.db} by another tweetload meanwhile; --force loads it again`;

/** What `--replace` did. */
export const replacedNote = (removed: number): string =>
  `replaced the earlier load of this file (${removed} tweet rows removed)`;
