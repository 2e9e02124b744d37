import { formatCount } from "./report-format.js";
import { renderOneFileJobsTable } from "./report-one-file.js";
import { renderPerCoreTable } from "./report-per-core.js";
import { ReportIndex } from "./report-summary.js";
import { renderV2Table } from "./report-v2.js";
import type { BenchReport } from "./types.js";

/** The shell pipeline, the commit floor, the v2 rows and what was left out, as README paragraphs. */
export function renderShapeSections(report: BenchReport): string[] {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  const parts: string[] = [];
  if (pj !== undefined && index.pipeline(pj)) {
    parts.push(
      `The reference row is the course's shell loader on the same archives and server: \`parallel -j ${pj} 'unzip -p {} | sed … | psql -c "COPY tweets_jsonb (data) FROM STDIN"' ::: FILES\` (the sed drops the JSON escape \`\\u0000\` and doubles backslashes for COPY's text format) into a freshly reset pg_denormalized, its row count checked.`,
    );
  }
  const floor = pj === undefined ? undefined : index.commitFloor(pj);
  if (floor?.commits !== undefined) {
    parts.push(
      `Commit floor: ${formatCount(floor.commits / floor.wallSeconds)} commits/s of a trivial transaction (an autocommit one-row INSERT into a logged table) on ${pj} connections for ${floor.wallSeconds.toFixed(1)} s, on the same server. The per-tweet loader commits once per tweet, so this bounds its tweets/s at the same concurrency.`,
    );
  }
  const v2 = renderV2Table(report);
  if (v2) {
    parts.push(
      `The same tweets as API v2 response pages (\`tweetload generate --format v2-pages\`, same seed and sizes), every loader at \`--jobs ${pj ?? 1}\`:\n\n${v2}`,
    );
  }
  if (report.notes && report.notes.length > 0) {
    parts.push(`Not measured in this run:\n\n${report.notes.map((n) => `- ${n}`).join("\n")}`);
  }
  return parts;
}

/** Scaling on one big file and its per-core cost, as README paragraphs. */
export function renderScalingSections(report: BenchReport): string[] {
  const parts: string[] = [];
  const jobs = renderOneFileJobsTable(report);
  if (jobs) parts.push(`On one big file (time, and speedup over \`--jobs 1\`):\n\n${jobs}`);
  const perCore = renderPerCoreTable(report);
  if (perCore) {
    parts.push(
      `Per-core cost on the one big file. *wall × cores per tweet* is the wall time per tweet times the cores the load could use (min(jobs, ${report.machine.cores})): while a loader scales, C cores load T tweets in about T × that ÷ C. *Client CPU* is the loader process's user + system time (all threads); the rest of the machine's time goes to the server (the same machine here) and to waiting. WAL is how far the server's WAL position moved during the load (anything else writing to the same server adds to it), commits are \`pg_stat_database.xact_commit\` of the loaded database. The *likely limit* is read from these figures, not profiled: a commit per tweet waits on WAL flushes, no speedup from more jobs means one worker and one server backend do the file, a client taking most of the machine is CPU-bound, otherwise the server's CPU, WAL writes and locks hold the time.\n\n${perCore}`,
    );
  }
  return parts;
}
