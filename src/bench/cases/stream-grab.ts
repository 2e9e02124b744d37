import { formatRatio, formatSeconds, markdownTable, timeRatio } from "../reports/format.js";
import { type CaseSummary, ReportIndex } from "../reports/summary.js";
import { shapeTargets, type TargetCheck } from "../reports/target-check.js";
import type { BenchReport } from "../types.js";
import { type CaseContext, type CaseGroup, type CaseKind, perTweetSeconds } from "./case.js";
import { loadCases } from "./load.js";

/** `tar -xO | bzip2 -dc | grep -v delete | sed | psql COPY` on the Stream Grab tar. */
export type StreamGrabPipelineCase = { type: "stream-grab-pipeline"; data: string };
/** Only decoding the tar's `.json.bz2` members, one stream after another. */
export type Bzip2FloorCase = { type: "bzip2-floor"; data: string };

const SHAPE = "stream-grab";

/** The tar of the case's set (a Stream Grab set is one tar). */
const tarOf = (ctx: CaseContext) => ctx.source.archives[0] as string;

const pipelineKind: CaseKind<StreamGrabPipelineCase> = {
  type: "stream-grab-pipeline",
  describe: (c) => `shell pipeline on the Stream Grab tar: tar -xO | bzip2 -dc | psql (${c.data})`,
  detailsCells: () => ["reference: tar -xO | bzip2 -dc | grep | sed | psql", "1"],
  estimateSeconds: (_, cost) => perTweetSeconds(90, cost),
  async run(_, ctx) {
    const { shellBzip2, streamGrabPipeline, timeShell } = await import(
      "../timing/stream-grab-tools.js"
    );
    const { streamGrabTweets } = await import("../data/stream-grab-set.js");
    const tar = tarOf(ctx);
    const expected = await streamGrabTweets(tar);
    const url = await ctx.freshDatabase("denormalized");
    const bzip2 = (await shellBzip2()) ?? "bzip2";
    const wallSeconds = await timeShell(
      "the Stream Grab shell pipeline (tar -xO | bzip2 -dc | grep | sed | psql COPY)",
      streamGrabPipeline(bzip2),
      { TAR: tar, TWEETLOAD_PIPELINE_URL: url },
    );
    const rows = await ctx.tableRows(url);
    if (rows.tweets_jsonb !== expected) {
      throw new Error(
        `the Stream Grab shell pipeline loaded ${rows.tweets_jsonb} rows instead of the tar's ${expected} tweets: its grep or sed does not handle every line of ${tar}; leave stream-grab out of --cases for this data.`,
      );
    }
    return { wallSeconds, tweets: expected, rows };
  },
};

const floorKind: CaseKind<Bzip2FloorCase> = {
  type: "bzip2-floor",
  describe: (c) => `floor: decoding the Stream Grab tar's bzip2 members (${c.data})`,
  detailsCells: () => ["floor: tar -xO | bzip2 -dc > /dev/null", "1"],
  estimateSeconds: (_, cost) => perTweetSeconds(20, cost),
  async run(_, ctx) {
    const { bzip2Floor, shellBzip2, timeShell } = await import("../timing/stream-grab-tools.js");
    const { streamGrabTweets } = await import("../data/stream-grab-set.js");
    const tar = tarOf(ctx);
    const bzip2 = (await shellBzip2()) ?? "bzip2";
    const wallSeconds = await timeShell("decoding the Stream Grab tar", bzip2Floor(bzip2), {
      TAR: tar,
    });
    return { wallSeconds, tweets: await streamGrabTweets(tar) };
  },
};

/** A case on the Stream Grab set, by kind. */
function onTar(index: ReportIndex, type: string): CaseSummary | undefined {
  const data = index.derivedKey(SHAPE);
  return data === undefined ? undefined : index.find({ type, data });
}

/** Each loader on the N files and on the tar at the parallel jobs value, then the shell rows. */
export function renderStreamGrabTable(report: BenchReport): string | undefined {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs ?? 1;
  if (index.derivedKey(SHAPE) === undefined) return undefined;
  const rows = report.variants.map((v) => {
    const files = index.load(v.id, pj);
    const tar = index.derivedLoad(SHAPE, v.id, pj);
    return [
      v.label,
      files ? formatSeconds(files.wallSeconds) : "—",
      tar ? formatSeconds(tar.wallSeconds) : "—",
      formatRatio(timeRatio(tar, files)),
    ];
  });
  const denormalized = index.derivedLoad(SHAPE, "denormalized", pj);
  for (const [label, type] of [
    ["shell: tar -xO | bzip2 -dc | grep | sed | psql COPY", "stream-grab-pipeline"],
    ["floor: tar -xO | bzip2 -dc > /dev/null", "bzip2-floor"],
  ] as const) {
    const shell = onTar(index, type);
    if (!shell) continue;
    rows.push([
      label,
      "—",
      formatSeconds(shell.wallSeconds),
      `${formatRatio(timeRatio(denormalized, shell))} (pg_denormalized ÷ this)`,
    ]);
  }
  return markdownTable(
    ["database", `N files, --jobs ${pj}`, `Stream Grab tar, --jobs ${pj}`, "tar ÷ files"],
    rows,
  );
}

/** Per loader: the tar of `.json.bz2` members within 1.3× of the same tweets as N files. */
const streamGrabTargets = (report: BenchReport): TargetCheck[] =>
  shapeTargets(
    report,
    SHAPE,
    1.3,
    (label, pj) =>
      `${label}: a Stream Grab tar of .json.bz2 members ≤ 1.3 × the N files (--jobs ${pj})`,
  );

/**
 * `--cases stream-grab`: the main set's tweets generated again as one Twitter Stream Grab
 * tar (per-minute `.json.bz2` members with delete notices, same seed and sizes), every
 * loader at the parallel jobs value, beside the shell pipeline a user would write for it
 * and the floor of decoding its bzip2 alone; left out with a note for `--data` (not
 * generated) or where the shell tools are missing.
 */
export const streamGrabCases: CaseGroup = {
  kinds: [pipelineKind, floorKind],
  stage: "shape",
  shape: {
    name: SHAPE,
    label: "Stream Grab tar",
    words: "the same tweets as a Stream Grab tar of .json.bz2 members",
    cost: { factor: 1.5 },
  },
  async prepare({ main, seed, root, log }) {
    if (seed === undefined || main.tweetsPerFile === undefined) {
      return {
        skip: "the Stream Grab rows were not run: they need the generated set (the same tweets as a tar), not --data.",
      };
    }
    const { missingStreamGrabTools } = await import("../timing/stream-grab-tools.js");
    const missing = await missingStreamGrabTools();
    if (missing.length > 0) {
      return { skip: `the Stream Grab rows were not run: ${missing.join(", ")} not installed.` };
    }
    const { streamGrabDataSet } = await import("../data/stream-grab-set.js");
    const { generateArchives } = await import("../../generate/generate-archives.js");
    const source = { ...main, tweetsPerFile: main.tweetsPerFile };
    return { derived: await streamGrabDataSet(source, seed, root, generateArchives, log) };
  },
  plan: (p, data) => [
    ...loadCases(p.variants, [p.parallelJobs], data),
    { type: "stream-grab-pipeline", data },
    { type: "bzip2-floor", data },
  ],
  sections: {
    otherShapes(report) {
      const table = renderStreamGrabTable(report);
      if (!table) return [];
      const pj = new ReportIndex(report).parallelJobs ?? 1;
      return [
        `The same tweets as one Twitter Stream Grab tar (\`tweetload generate --format stream-grab\`, same seed and sizes: per-minute \`.json.bz2\` members of 2,000 tweets, a delete notice after a third of them), every loader at \`--jobs ${pj}\`, beside what a user would run without tweetload (\`tar -xOf month.tar --wildcards '*.json.bz2' | lbzip2 -dc | grep -v '^{"delete"' | sed … | psql -c "COPY tweets_jsonb (data) FROM STDIN"\`, its row count checked) and the floor of decoding the members alone (lbzip2 on every core where installed, else bzip2):\n\n${table}`,
      ];
    },
  },
  targets: streamGrabTargets,
};
