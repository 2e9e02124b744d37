import { basename } from "node:path";
import Table from "cli-table3";
import type { LoadRunResult } from "../run/run-load.js";
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
    resources,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The end-of-load table for people: one row per file and database, then the totals. */
export function renderSummaryTable(result: LoadRunResult): string {
  const table = new Table({
    head: ["file", "database", "status", "tweets", "rejects", "seconds", "tweets/s"],
    colAligns: ["left", "left", "left", "right", "right", "right", "right"],
    style: { head: [], border: [] },
  });
  for (const f of result.files) {
    table.push([
      basename(f.file),
      f.db,
      f.status,
      fmt(f.tweets),
      fmt(f.rejects),
      f.seconds.toFixed(2),
      fmt(f.tweetsPerSecond),
    ]);
  }
  const t = result.totals;
  table.push([
    `total (${countOf(result.files.length, "file")})`,
    "",
    t.failed > 0 ? `${t.failed} failed` : "ok",
    fmt(t.tweets),
    fmt(t.rejects),
    t.seconds.toFixed(2),
    fmt(t.tweetsPerSecond),
  ]);
  return [table.toString(), ...summaryNotes(result)].join("\n");
}

/** The lines under the table: failures, skipped files, where rejects went, an interruption. */
export function summaryNotes(result: LoadRunResult): string[] {
  const notes = result.files
    .filter((f) => f.status === "failed")
    .map((f) => `failed: ${f.file} → ${f.db}: ${f.error ?? "unknown error"}`);
  const skipped = result.files.filter((f) => f.status === "skipped");
  if (skipped.length > 0) {
    notes.push(
      `skipped ${skipped.length} file${skipped.length === 1 ? "" : "s"} already loaded (the databases' journal says so); --force loads them again`,
    );
  }
  notes.push(...skippedMemberNotes(result.files));
  for (const f of result.files) {
    if (f.rejectsFile) notes.push(`rejected lines of ${f.file} → ${f.db}: ${f.rejectsFile}`);
  }
  if (result.interrupted) {
    const loaded = result.files.filter((f) => f.status !== "failed").length;
    notes.push(
      `interrupted: ${loaded} of ${result.files.length} loaded or already there; ` +
        `${result.files.length - loaded} not loaded (rolled back or not started): run the same load again to finish`,
    );
  }
  return notes;
}
