import { formatRatio, formatSeconds, markdownTable, timeRatio } from "../reports/format.js";
import { ReportIndex } from "../reports/summary.js";
import { shapeTargets, type TargetCheck } from "../reports/target-check.js";
import type { BenchReport } from "../types.js";
import type { CaseGroup } from "./case.js";
import { loadCases } from "./load.js";

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
      formatRatio(timeRatio(v2, v1)),
    ];
  });
  return markdownTable(
    ["database", `v1.1 lines, --jobs ${pj}`, `v2 pages, --jobs ${pj}`, "v2 ÷ v1.1"],
    rows,
  );
}

/** Per loader: v2 pages within 1.2× of the same tweets as v1.1 lines. */
const v2Targets = (report: BenchReport): TargetCheck[] =>
  shapeTargets(
    report,
    "v2-pages",
    1.2,
    (label, pj) => `${label}: v2 pages ≤ 1.2 × v1.1 (--jobs ${pj})`,
  );

/**
 * `--cases v2`: the main set's tweets generated again as API v2 response pages (same seed
 * and sizes), every loader at the parallel jobs value; left out with a note for `--data`,
 * which the generator did not make.
 */
export const v2PagesCases: CaseGroup = {
  stage: "shape",
  shape: {
    name: "v2-pages",
    label: "v2 pages",
    words: "the same tweets as v2 pages",
    cost: { factor: 1.2 },
  },
  async prepare({ main, seed, root, log }) {
    if (seed === undefined || main.tweetsPerFile === undefined) {
      return {
        skip: "the v2 rows were not run: they need the generated set (the same tweets as v2 pages), not --data.",
      };
    }
    const { v2PagesDataSet } = await import("../data/derived-sets.js");
    const { generateArchives } = await import("../../generate/generate-archives.js");
    const source = { ...main, tweetsPerFile: main.tweetsPerFile };
    return { derived: await v2PagesDataSet(source, seed, root, (o) => generateArchives(o), log) };
  },
  plan: (p, data) => loadCases(p.variants, [p.parallelJobs], data),
  sections: {
    otherShapes(report) {
      const table = renderV2Table(report);
      if (!table) return [];
      const pj = new ReportIndex(report).parallelJobs ?? 1;
      return [
        `The same tweets as API v2 response pages (\`tweetload generate --format v2-pages\`, same seed and sizes), every loader at \`--jobs ${pj}\`:\n\n${table}`,
      ];
    },
  },
  targets: v2Targets,
};
