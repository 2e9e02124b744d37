import { formatCount } from "../reports/format.js";
import { ReportIndex } from "../reports/summary.js";
import type { CaseGroup, CaseKind } from "./case.js";
import { CASE_OVERHEAD_S } from "./case.js";

/** Autocommit one-row INSERTs on this many connections: the server's commit rate. */
export type CommitFloorCase = { type: "commit-floor"; connections: number; data: string };

const commitFloorKind: CaseKind<CommitFloorCase> = {
  type: "commit-floor",
  describe: (c) => `commit floor, ${c.connections} connection${c.connections === 1 ? "" : "s"}`,
  detailsCells: (c) => ["commit floor: autocommit one-row INSERTs", `${c.connections} connections`],
  estimateSeconds: (_, cost) => cost.commitFloorSeconds + CASE_OVERHEAD_S,
  async run(c, ctx) {
    const { timeCommitFloor } = await import("../timing/commit-floor.js");
    const url = await ctx.freshDatabase("normalized");
    const r = await timeCommitFloor(url, c.connections, ctx.plan.commitFloorSeconds);
    return {
      wallSeconds: r.wallSeconds,
      tweets: 0,
      commits: r.commits,
      rows: { tweetload_commit_floor: r.rows },
    };
  },
};

/**
 * `--cases commit-floor`: the ceiling of a loader that commits once per tweet, measured on
 * the same server at the parallel concurrency.
 */
export const commitFloorCases: CaseGroup = {
  kinds: [commitFloorKind],
  stage: "main",
  plan: (p, data) => [{ type: "commit-floor", connections: p.parallelJobs, data }],
  sections: {
    references(report) {
      const index = new ReportIndex(report);
      const pj = index.parallelJobs;
      const floor = pj === undefined ? undefined : index.commitFloor(pj);
      if (floor?.commits === undefined) return [];
      return [
        `Commit floor: ${formatCount(floor.commits / floor.wallSeconds)} commits/s of a trivial transaction (an autocommit one-row INSERT into a logged table) on ${pj} connections for ${floor.wallSeconds.toFixed(1)} s, on the same server. The per-tweet loader commits once per tweet, so this bounds its tweets/s at the same concurrency.`,
      ];
    },
  },
};
