import { formatRatio, timeRatio } from "../reports/format.js";
import { ReportIndex } from "../reports/summary.js";
import type { TargetCheck } from "../reports/target-check.js";
import type { BenchReport } from "../types.js";
import { type CaseGroup, type CaseKind, perTweetSeconds } from "./case.js";

/** The course's shell loader: `unzip -p | sed | psql COPY` per file through GNU parallel. */
export type PipelineCase = { type: "pipeline"; jobs: number; data: string };

const PIPELINE = "the shell pipeline reference (unzip | sed | psql through GNU parallel)";

const pipelineKind: CaseKind<PipelineCase> = {
  type: "pipeline",
  describe: (c) => `shell pipeline, GNU parallel -j ${c.jobs} (${c.data})`,
  detailsCells: (c) => ["reference: unzip | sed | psql, GNU parallel", `${c.jobs}`],
  estimateSeconds: (_, cost) => perTweetSeconds(75, cost),
  async run(c, ctx) {
    const { timePipeline } = await import("../timing/pipeline-tools.js");
    const expected = ctx.extraction?.tweets ?? 0;
    // The course's table: jsonb in PostgreSQL's default storage (pglz), not tweetload's.
    const url = await ctx.freshDatabase("denormalized", "pglz");
    const wallSeconds = await timePipeline(url, c.jobs, ctx.source.archives);
    const rows = await ctx.tableRows(url);
    if (rows.tweets_jsonb !== expected) {
      throw new Error(
        `the shell pipeline (unzip | sed | psql through GNU parallel) loaded ${rows.tweets_jsonb} rows instead of ${expected}: its sed does not handle every line of ${ctx.source.dir}; leave pipeline out of --cases for this data.`,
      );
    }
    return { wallSeconds, tweets: expected, rows };
  },
};

/** pg_denormalized in parallel faster than the shell pipeline at the same jobs. */
function pipelineTargets(report: BenchReport): TargetCheck[] {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  if (pj === undefined) return [];
  const ratio = timeRatio(index.load("denormalized", pj), index.pipeline(pj));
  if (ratio === undefined) return [];
  return [
    {
      target: `pg_denormalized parallel faster than \`unzip | sed | psql\` through GNU parallel -j ${pj}`,
      measured: `${formatRatio(ratio)} the pipeline's time`,
      met: ratio < 1,
    },
  ];
}

/**
 * `--cases pipeline`: the reference row of the timing table, once on the main set at the
 * parallel jobs value; left out with a note where its tools are missing or the data is not
 * zip archives (unzip reads only those).
 */
export const pipelineCases: CaseGroup = {
  kinds: [pipelineKind],
  stage: "main",
  async prepare({ main }) {
    const { missingPipelineTools } = await import("../timing/pipeline-tools.js");
    const notZip = main.archives.filter((f) => !f.toLowerCase().endsWith(".zip"));
    if (notZip.length > 0) {
      return {
        skip: `${PIPELINE} was not run: it reads zip archives, and ${notZip[0]} is not one.`,
      };
    }
    const missing = await missingPipelineTools();
    if (missing.length > 0)
      return { skip: `${PIPELINE} was not run: ${missing.join(", ")} not installed.` };
    return undefined;
  },
  plan: (p, data) => [{ type: "pipeline", jobs: p.parallelJobs, data }],
  sections: {
    references(report) {
      const index = new ReportIndex(report);
      const pj = index.parallelJobs;
      if (pj === undefined || !index.pipeline(pj)) return [];
      return [
        `The reference row is the course's shell loader on the same archives and server: \`parallel -j ${pj} 'unzip -p {} | sed … | psql -c "COPY tweets_jsonb (data) FROM STDIN"' ::: FILES\` (the sed drops the JSON escape \`\\u0000\` and doubles backslashes for COPY's text format) into a freshly reset pg_denormalized whose table has PostgreSQL's default jsonb storage (pglz), as the course's schema has, its row count checked.`,
      ];
    },
  },
  targets: pipelineTargets,
};
