import { basename } from "node:path";
import Table from "cli-table3";
import type { LoadRunResult } from "../run/run-load.js";
import type { FileReport } from "../run/types.js";
import { type NoticeCounts, noticeTotal } from "../transform/notices.js";
import { countOf } from "./plural.js";
import { skippedMemberNotes } from "./skipped-notes.js";

/** CPU time and peak memory of this process (worker threads included). */
export interface Resources {
  userCpuSeconds: number;
  systemCpuSeconds: number;
  maxRssMB: number;
}

export function currentResources(usage: NodeJS.ResourceUsage = process.resourceUsage()): Resources {
  return {
    userCpuSeconds: round(usage.userCPUTime / 1e6, 3),
    systemCpuSeconds: round(usage.systemCPUTime / 1e6, 3),
    maxRssMB: round(usage.maxRSS / 1024, 1),
  };
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The `--json` document: files, totals and resources, numbers rounded for reading. */
export function summaryJson(result: LoadRunResult, resources: Resources) {
  return {
    files: result.files.map((f) => ({
      ...f,
      seconds: round(f.seconds, 3),
      tweetsPerSecond: round(f.tweetsPerSecond, 1),
    })),
    totals: {
      ...result.totals,
      seconds: round(result.totals.seconds, 3),
      tweetsPerSecond: round(result.totals.tweetsPerSecond, 1),
    },
    ...(result.staleViews ? { staleViews: result.staleViews } : {}),
    resources,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The end-of-load table for people: one row per file and database, then the totals. */
export function renderSummaryTable(result: LoadRunResult): string {
  const table = new Table({
    head: ["file", "database", "status", "tweets", "notices", "rejects", "seconds", "tweets/s"],
    colAligns: ["left", "left", "left", "right", "right", "right", "right", "right"],
    style: { head: [], border: [] },
  });
  for (const f of result.files) {
    table.push([
      basename(f.file),
      f.db,
      f.status,
      fmt(f.tweets),
      fmt(noticeTotal(f.notices)),
      fmt(f.rejects),
      f.seconds.toFixed(2),
      fmt(f.tweetsPerSecond),
    ]);
  }
  const t = result.totals;
  table.push([
    `total (${countOf(result.files.length, "file")})`,
    "",
    totalStatus(t.failed, t.partial),
    fmt(t.tweets),
    fmt(noticeTotal(t.notices)),
    fmt(t.rejects),
    t.seconds.toFixed(2),
    fmt(t.tweetsPerSecond),
  ]);
  return [table.toString(), ...summaryNotes(result)].join("\n");
}

const totalStatus = (failed: number, partial: number): string =>
  [failed > 0 ? `${failed} failed` : "", partial > 0 ? `${partial} partial` : ""]
    .filter(Boolean)
    .join(", ") || "ok";

/** `delete 500, limit 20`: notices per kind, most first. */
export const noticesByKind = (notices: NoticeCounts): string =>
  Object.entries(notices)
    .sort(([a, x], [b, y]) => (y ?? 0) - (x ?? 0) || a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${fmt(n ?? 0)}`)
    .join(", ");

const where = (f: FileReport) => `${f.file} → ${f.db}`;

/**
 * The lines under the table: failed and partial files, skipped files, stream notices per
 * kind, where rejects went, an interruption.
 */
export function summaryNotes(result: LoadRunResult): string[] {
  const notes: string[] = [];
  for (const f of result.files) {
    if (f.status === "failed") notes.push(`failed: ${where(f)}: ${f.error ?? "unknown error"}`);
    if (f.status === "partial") notes.push(`partial: ${where(f)}: ${f.error ?? ""}`);
  }
  for (const { db, error, timedOut } of result.staleViews ?? []) {
    const why = timedOut
      ? `their refresh ran past --refresh-timeout and was cancelled (${error})`
      : error;
    notes.push(
      `the tag views of ${db} are stale, not refreshed: ${why}; its rows are in. \`tweetload db refresh --db ${db}\` refreshes them (no time limit), and so does the next load`,
    );
  }
  const skipped = result.files.filter((f) => f.status === "skipped");
  if (skipped.length > 0) {
    notes.push(
      `skipped ${skipped.length} file${skipped.length === 1 ? "" : "s"} already loaded (the databases' journal says so); --force loads them again`,
    );
  }
  notes.push(...skippedMemberNotes(result.files));
  for (const f of result.files) {
    if (noticeTotal(f.notices) > 0) {
      notes.push(`stream notices skipped in ${where(f)}: ${noticesByKind(f.notices)}`);
    }
  }
  for (const f of result.files) {
    if (f.rejectsFile) notes.push(`rejected lines of ${where(f)}: ${f.rejectsFile}`);
  }
  if (result.interrupted) {
    const count = (status: FileReport["status"]) =>
      result.files.filter((f) => f.status === status).length;
    notes.push(
      `interrupted: of ${result.files.length} files, ${count("loaded")} loaded, ${count("skipped")} already there, ` +
        `${count("partial")} partial (their committed tweets are counted above), ${count("failed")} not loaded (nothing of them is in the database): run the same load again to finish`,
    );
  }
  return notes;
}
