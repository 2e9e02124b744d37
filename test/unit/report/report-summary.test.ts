import { describe, expect, it } from "vitest";
import { finishedLine } from "../../../src/report/progress.js";
import { currentResources, renderSummaryTable, summaryJson } from "../../../src/report/summary.js";
import type { LoadRunResult } from "../../../src/run/run-load.js";
import { totalsOf } from "../../../src/run/run-load.js";
import type { FileReport } from "../../../src/run/types.js";

const files: FileReport[] = [
  {
    file: "data/a.zip",
    db: "normalized",
    tweets: 10_000,
    rejects: 2,
    notices: { limit: 20, delete: 500 },
    seconds: 4,
    tweetsPerSecond: 2500,
    status: "loaded",
  },
  {
    file: "data/b.zip",
    db: "normalized",
    tweets: 0,
    rejects: 0,
    notices: {},
    seconds: 0.1,
    tweetsPerSecond: 0,
    status: "failed",
    error: "data/b.zip is not a readable zip archive: bad",
  },
  {
    file: "data/c.jsonl",
    db: "normalized",
    tweets: 1_966,
    rejects: 0,
    notices: { delete: 3 },
    seconds: 1,
    tweetsPerSecond: 1966,
    status: "partial",
    error: "interrupted; 1966 of its tweets are committed: run the same command again to finish it",
  },
];
const result: LoadRunResult = { files, totals: totalsOf(files, 5) };

describe("load summary", () => {
  it("totals tweets, rejects and failures over the run's wall time", () => {
    expect(result.totals).toEqual({
      tweets: 11_966,
      rejects: 2,
      notices: { delete: 503, limit: 20 },
      seconds: 5,
      tweetsPerSecond: 11_966 / 5,
      failed: 1,
      partial: 1,
    });
  });

  it("renders a table with totals and the errors below", () => {
    const text = renderSummaryTable(result);
    expect(text).toMatch(/a\.zip.*normalized.*loaded.*10,000.*520.*2.*4\.00.*2,500/);
    expect(text).toMatch(/c\.jsonl.*normalized.*partial.*1,966.*3.*0/);
    expect(text).toMatch(/total \(3 files\).*1 failed, 1 partial.*11,966.*523.*2.*5\.00.*2,393/);
    expect(text).toMatch(/failed: data\/b\.zip → normalized: data\/b\.zip is not a readable zip/);
    expect(text).toMatch(
      /partial: data\/c\.jsonl → normalized: .*1966 .*run the same command again/,
    );
    expect(text).toContain(
      "stream notices skipped in data/a.zip → normalized: delete 500, limit 20",
    );
  });

  it("prints the JSON contract", () => {
    const json = summaryJson(result, { userCpuSeconds: 1, systemCpuSeconds: 0.5, maxRssMB: 100 });
    expect(Object.keys(json)).toEqual(["files", "totals", "resources"]);
    expect(json.files[1]).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/b\.zip/),
    });
    expect(json.files[0]?.notices).toEqual({ delete: 500, limit: 20 });
    expect(json.totals).toMatchObject({
      tweets: 11_966,
      rejects: 2,
      notices: { delete: 503, limit: 20 },
      failed: 1,
      partial: 1,
      tweetsPerSecond: 2393.2,
    });
  });

  it("says which database's tag views were not refreshed, in the table and in --json", () => {
    const result: LoadRunResult = {
      files,
      totals: totalsOf(files, 5),
      staleViews: [
        { db: "normalized", error: "Connection terminated" },
        { db: "normalized_batch", error: "canceling statement", timedOut: true },
      ],
    };
    expect(renderSummaryTable(result)).toMatch(
      /tag views of normalized are stale, not refreshed: Connection terminated; its rows are in\. `tweetload db refresh --db normalized` refreshes them/,
    );
    expect(renderSummaryTable(result)).toMatch(
      /tag views of normalized_batch are stale, not refreshed: their refresh ran past --refresh-timeout and was cancelled \(canceling statement\)/,
    );
    expect(summaryJson(result, currentResources()).staleViews).toEqual(result.staleViews);
    const fresh = { files, totals: totalsOf(files, 5) };
    expect(renderSummaryTable(fresh)).not.toMatch(/not refreshed/);
    expect(summaryJson(fresh, currentResources())).not.toHaveProperty("staleViews");
  });

  it("reads resources in seconds and MB", () => {
    const r = currentResources({
      userCPUTime: 1_500_000,
      systemCPUTime: 250_000,
      maxRSS: 204_800,
    } as NodeJS.ResourceUsage);
    expect(r).toEqual({ userCpuSeconds: 1.5, systemCpuSeconds: 0.25, maxRssMB: 200 });
  });

  it("says one line per finished file", () => {
    expect(finishedLine(files[0] as FileReport)).toBe(
      "loaded data/a.zip → normalized: 10000 tweets, 2 rejected, 520 stream notices skipped in 4.00 s (2500 tweets/s)",
    );
    expect(finishedLine(files[1] as FileReport)).toMatch(
      /^failed data\/b\.zip → normalized: .*not a readable zip/,
    );
    expect(finishedLine(files[2] as FileReport)).toMatch(
      /^partial data\/c\.jsonl → normalized: 1966 tweets committed: /,
    );
  });
});
