import { renderOneFileJobsTable, renderOneFileTable } from "../reports/one-file.js";
import { renderPerCoreTable } from "../reports/per-core.js";
import { shapeTargets, type TargetCheck } from "../reports/target-check.js";
import type { BenchReport } from "../types.js";
import type { CaseGroup } from "./case.js";
import { loadCases } from "./load.js";

const filesOf = (report: BenchReport) =>
  report.dataSets.find((d) => d.key === report.mainData)?.files;

/** Per loader: one archive within 1.1× of the N files at the parallel jobs value. */
function oneFileTargets(report: BenchReport): TargetCheck[] {
  const files = filesOf(report) ?? 0;
  return shapeTargets(
    report,
    "one-file",
    1.1,
    (label, pj) => `${label}: one file at --jobs ${pj} ≤ 1.1 × ${files} files at --jobs ${pj}`,
  );
}

const perCoreWords = (cores: number) =>
  `Per-core cost on the one big file. *wall × cores per tweet* is the wall time per tweet times the cores the load could use (min(jobs, ${cores})): while a loader scales, C cores load T tweets in about T × that ÷ C. *Client CPU* is the loader process's user + system time (all threads); the rest of the machine's time goes to the server (the same machine here) and to waiting. WAL is how far the server's WAL position moved during the load (anything else writing to the same server adds to it), commits are \`pg_stat_database.xact_commit\` of the loaded database. The *likely limit* is read from these figures, not profiled: a commit per tweet waits on WAL flushes, no speedup from more jobs means one worker and one server backend do the file, a client taking most of the machine is CPU-bound, otherwise the server's CPU, WAL writes and locks hold the time.`;

/**
 * `--cases one-file`: the main set's lines concatenated into one archive, loaded at each
 * `--one-file-jobs` value, beside the N files: whether one big file loads as fast as many,
 * how it scales with jobs, and what each tweet costs per core.
 */
export const oneFileCases: CaseGroup = {
  stage: "shape",
  shape: {
    name: "one-file",
    label: "one file",
    words: "the same tweets in one archive",
    cost: { oneCore: true },
  },
  async prepare({ main, root, log }) {
    const { oneFileDataSet } = await import("../data/derived-sets.js");
    log(`writing the tweets of ${main.dir} into one archive (once, not timed) …`);
    return { derived: await oneFileDataSet(main, root) };
  },
  plan: (p, data) => loadCases(p.variants, p.oneFileJobs ?? p.jobs, data),
  sections: {
    besideTable(report) {
      const table = renderOneFileTable(report);
      if (!table) return [];
      return [
        `The same tweets in one archive (one zip member: the ${filesOf(report) ?? "N"} files' lines concatenated), beside the rows above:\n\n${table}`,
      ];
    },
    scaling(report) {
      const parts: string[] = [];
      const jobs = renderOneFileJobsTable(report);
      if (jobs) parts.push(`On one big file (time, and speedup over \`--jobs 1\`):\n\n${jobs}`);
      const perCore = renderPerCoreTable(report);
      if (perCore) parts.push(`${perCoreWords(report.machine.cores)}\n\n${perCore}`);
      return parts;
    },
  },
  targets: oneFileTargets,
};
