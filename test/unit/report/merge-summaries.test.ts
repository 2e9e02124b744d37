import { describe, expect, it } from "vitest";
import { mergeSummaries, splitSummaries } from "../../../src/report/merge-summaries.js";
import { summaryJson } from "../../../src/report/summary.js";
import { totalsOf } from "../../../src/run/run-load.js";
import type { FileReport } from "../../../src/run/types.js";

const report = (file: string, tweets: number, extra: Partial<FileReport> = {}): FileReport => ({
  file,
  db: "denormalized",
  tweets,
  rejects: 0,
  notices: {},
  seconds: 1,
  tweetsPerSecond: tweets,
  status: "loaded",
  ...extra,
});

/** A job's stdout, exactly as `load --json` prints it. */
const jobOutput = (files: FileReport[], rss: number) =>
  `${JSON.stringify(
    summaryJson(
      { files, totals: totalsOf(files, 2) },
      { userCpuSeconds: 1.5, systemCpuSeconds: 0.25, maxRssMB: rss },
    ),
    null,
    2,
  )}\n`;

describe("splitSummaries", () => {
  it("splits the jobs' JSON documents printed one after another, a } inside a string included", () => {
    const tricky = report("a.jsonl", 1, { status: "failed", error: "bad line:\n}\n" });
    const text = jobOutput([tricky], 70) + jobOutput([report("b.jsonl", 2)], 80);
    const docs = splitSummaries(text, "out.json");
    expect(docs.map((d) => d.files.map((f) => f.file))).toEqual([["a.jsonl"], ["b.jsonl"]]);
    expect(docs[0]?.files[0]?.error).toBe("bad line:\n}\n");
  });

  it("names the file and line of output that is not a summary", () => {
    expect(() => splitSummaries(`${jobOutput([], 1)}oops\n`, "out.json")).toThrow(
      /^out\.json:\d+: output after the last summary is not JSON/,
    );
    expect(() => splitSummaries("{\n  nope\n}\n", "out.json")).toThrow(/^out\.json:1: not a/);
  });
});

describe("mergeSummaries", () => {
  it("sums the jobs' files, counts and CPU over the run's wall time; memory is the largest job's", () => {
    const text =
      jobOutput([report("a", 10), report("b", 0, { status: "failed", error: "x" })], 70) +
      jobOutput([report("c", 30, { rejects: 2 })], 90);
    const { result, resources } = mergeSummaries(splitSummaries(text, "out.json"), 4);
    expect(result.files.map((f) => f.file)).toEqual(["a", "b", "c"]);
    expect(result.totals).toEqual({
      tweets: 40,
      rejects: 2,
      seconds: 4,
      tweetsPerSecond: 10,
      failed: 1,
      partial: 0,
      notices: {},
    });
    expect(resources).toEqual({ userCpuSeconds: 3, systemCpuSeconds: 0.5, maxRssMB: 90 });
  });
});
