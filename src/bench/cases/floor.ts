import { copyTool } from "../reports/format.js";
import { type CaseGroup, type CaseKind, perTweetSeconds } from "./case.js";

/** Only reading and decompressing the archives, discarding the lines. */
export type ReadCase = { type: "read"; data: string };
/** `psql \copy` of the extracted JSON lines into `tweets_jsonb`, with this many concurrent streams. */
export type CopyCase = { type: "copy"; streams: number; data: string };

const streamsText = (n: number) => `${n} stream${n === 1 ? "" : "s"}`;

/** The cost a loader pays before it has parsed a single line. */
const readKind: CaseKind<ReadCase> = {
  type: "read",
  describe: (c) => `floor read + decompress (${c.data})`,
  detailsCells: () => ["floor: read + decompress", "1"],
  estimateSeconds: (_, cost) => perTweetSeconds(16, cost),
  async run(_, ctx) {
    const { readOnly } = await import("../timing/read-only.js");
    const started = process.hrtime.bigint();
    await readOnly(ctx.source.archives);
    const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { wallSeconds, tweets: ctx.extraction?.tweets ?? 0 };
  },
};

/** What PostgreSQL itself needs for the same JSON lines: the floor every loader is divided by. */
const copyKind: CaseKind<CopyCase> = {
  type: "copy",
  describe: (c) => `floor copy, ${streamsText(c.streams)} (${c.data})`,
  detailsCells: (c, report) => [`floor: ${copyTool(report)}`, streamsText(c.streams)],
  estimateSeconds: (c, cost) => perTweetSeconds(c.streams === 1 ? 116 : 62, cost),
  async run(c, ctx) {
    const { balancedGroups, timeNodeCopy, timePsqlCopy } = await import("../timing/floor-copy.js");
    const expected = ctx.extraction?.tweets ?? 0;
    const url = await ctx.freshDatabase("denormalized");
    const groups = balancedGroups(ctx.extraction?.files ?? [], c.streams, (f) => f.bytes).map((g) =>
      g.map((f) => f.path),
    );
    const wallSeconds =
      ctx.plan.floorTool === "psql"
        ? await timePsqlCopy(url, groups)
        : await timeNodeCopy(url, groups);
    const rows = await ctx.tableRows(url);
    if (rows.tweets_jsonb !== expected) {
      throw new Error(`the floor copy loaded ${rows.tweets_jsonb} rows instead of ${expected}`);
    }
    return { wallSeconds, tweets: expected, rows };
  },
};

/** `--cases floor`: reading alone, then the copy in one stream and in one per core, per set. */
export const floorCases: CaseGroup = {
  kinds: [readKind, copyKind],
  stage: "each-set",
  plan: (p, data) => [
    { type: "read", data },
    { type: "copy", streams: 1, data },
    ...(p.floorStreams > 1 ? [{ type: "copy", streams: p.floorStreams, data }] : []),
  ],
};
