import { formatRatio, formatSeconds, markdownTable } from "./report-format.js";
import { ReportIndex } from "./report-summary.js";
import type { BenchReport } from "./types.js";

/** Each loader on the same tweets as v1.1 lines and as v2 pages, at the parallel jobs value. */
export function renderV2Table(report: BenchReport): string | undefined {
  const index = new ReportIndex(report);
  const key = index.derivedKey("v2-pages");
  const pj = index.parallelJobs ?? 1;
  if (key === undefined) return undefined;
  const rows = report.variants.map((v) => {
    const v1 = index.load(v.id, pj);
    const v2 = index.load(v.id, pj, key);
    return [
      v.label,
      v1 ? formatSeconds(v1.wallSeconds) : "—",
      v2 ? formatSeconds(v2.wallSeconds) : "—",
      v1 && v2 ? formatRatio(v2.wallSeconds / v1.wallSeconds) : "—",
    ];
  });
  return markdownTable(
    ["database", `v1.1 lines, --jobs ${pj}`, `v2 pages, --jobs ${pj}`, "v2 ÷ v1.1"],
    rows,
  );
}
