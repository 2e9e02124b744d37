import { describe, expect, it } from "vitest";
import { renderV2Table } from "../../../src/bench/cases/v2-pages.js";
import { baselineOf } from "../../../src/bench/reports/baseline.js";
import { renderOneFileJobsTable, renderOneFileTable } from "../../../src/bench/reports/one-file.js";
import { renderTimingPage } from "../../../src/bench/reports/page.js";
import { renderPerCoreTable } from "../../../src/bench/reports/per-core.js";
import { likelyLimit, perCoreCost } from "../../../src/bench/reports/per-core-cost.js";
import { renderSizesSection } from "../../../src/bench/reports/scaling.js";
import { summarizeCase } from "../../../src/bench/reports/summary.js";
import { checkTargets } from "../../../src/bench/reports/targets.js";
import { renderTimingTable } from "../../../src/bench/reports/timing-table.js";
import type { BenchReport, CaseResult, LoaderVariant, Sample } from "../../../src/bench/types.js";

const VARIANTS: LoaderVariant[] = [
  { id: "normalized", label: "pg_normalized", db: "normalized", extraArgs: [] },
  { id: "normalized_batch", label: "pg_normalized_batch", db: "normalized_batch", extraArgs: [] },
  { id: "denormalized", label: "pg_denormalized", db: "denormalized", extraArgs: [] },
];
const MAIN = "10x100";
const ONE = "one-file:10x100";
const V2 = "v2-pages:10x100";

const sample = (wallSeconds: number, extra: Partial<Sample> = {}): Sample => ({
  wallSeconds,
  tweets: 1000,
  ...extra,
});
const load = (variant: string, jobs: number, data: string, ...samples: Sample[]): CaseResult => ({
  case: { type: "load", variant, label: variant, db: variant, jobs, data },
  samples,
});

/**
 * Seconds chosen so each ratio is easy to check: one file is 1.2× the ten files at
 * 2 jobs for pg_normalized and 1.0× for the others; v2 is 1.1× v1.1.
 */
function report(extra: Partial<BenchReport> = {}): BenchReport {
  const results: CaseResult[] = [
    { case: { type: "copy", streams: 1, data: MAIN }, samples: [sample(1)] },
    { case: { type: "copy", streams: 2, data: MAIN }, samples: [sample(0.5)] },
    load("normalized", 1, MAIN, sample(10)),
    load("normalized", 2, MAIN, sample(5)),
    load("normalized_batch", 1, MAIN, sample(2)),
    load("normalized_batch", 2, MAIN, sample(1)),
    load("denormalized", 1, MAIN, sample(1.2)),
    load("denormalized", 2, MAIN, sample(0.6)),
    load(
      "normalized",
      1,
      ONE,
      sample(10, {
        userCpuSeconds: 3,
        systemCpuSeconds: 1,
        server: { walBytes: 5e6, xactCommit: 1001 },
      }),
    ),
    load(
      "normalized",
      2,
      ONE,
      sample(6, {
        userCpuSeconds: 3,
        systemCpuSeconds: 1,
        server: { walBytes: 5e6, xactCommit: 1001 },
      }),
    ),
    load("normalized_batch", 1, ONE, sample(2)),
    load("normalized_batch", 2, ONE, sample(1)),
    load(
      "denormalized",
      1,
      ONE,
      sample(1.2, {
        userCpuSeconds: 1,
        systemCpuSeconds: 0.1,
        server: { walBytes: 4e6, xactCommit: 3 },
      }),
    ),
    load(
      "denormalized",
      2,
      ONE,
      sample(1.2, {
        userCpuSeconds: 1,
        systemCpuSeconds: 0.1,
        server: { walBytes: 4e6, xactCommit: 3 },
      }),
    ),
    load("normalized", 2, V2, sample(5.5)),
    load("normalized_batch", 2, V2, sample(1.1)),
    load("denormalized", 2, V2, sample(0.66)),
    { case: { type: "pipeline", jobs: 2, data: MAIN }, samples: [sample(0.75)] },
    {
      case: { type: "commit-floor", connections: 2, data: MAIN },
      samples: [{ wallSeconds: 2, tweets: 0, commits: 7000 }],
    },
  ];
  return {
    version: 1,
    date: "2026-11-26T10:00:00.000Z",
    command: "tweetload bench",
    machine: { cpuModel: "Test CPU", cores: 2, memoryGB: 8, os: "linux", node: "v20" },
    server: { version: "17", provider: "embedded", settings: {} },
    runs: 1,
    jobs: [1, 2],
    floorStreams: 2,
    variants: VARIANTS,
    dataSets: [
      {
        key: MAIN,
        dir: "/d",
        files: 10,
        tweetsPerFile: 100,
        tweets: 1000,
        archiveBytes: 1,
        jsonBytes: 1,
      },
      {
        key: ONE,
        dir: "/o",
        files: 1,
        tweets: 1000,
        archiveBytes: 1,
        jsonBytes: 1,
        derived: { of: MAIN, shape: "one-file" },
      },
      {
        key: V2,
        dir: "/v",
        files: 10,
        tweets: 1000,
        archiveBytes: 1,
        jsonBytes: 1,
        derived: { of: MAIN, shape: "v2-pages" },
      },
    ],
    mainData: MAIN,
    results,
    oneFileJobs: [1, 2],
    ...extra,
  };
}

describe("the one big file beside the N files", () => {
  it("shows one file ÷ N files at the same jobs, per loader", () => {
    const text = renderOneFileTable(report()) as string;
    expect(text.split("\n")[0]).toBe(
      "| database | 10 files, --jobs 1 | one file, --jobs 1 | one ÷ 10 files | 10 files, --jobs 2 | one file, --jobs 2 | one ÷ 10 files |",
    );
    expect(text).toContain("| pg_normalized | 10.0 s | 10.0 s | 1.00× | 5.00 s | 6.00 s | 1.20× |");
    expect(text).toContain(
      "| pg_denormalized | 1.20 s | 1.20 s | 1.00× | 0.60 s | 1.20 s | 2.00× |",
    );
  });

  it("shows the one-file speedup per --jobs, and nothing without the one-file set", () => {
    expect(renderOneFileJobsTable(report())).toContain(
      "| pg_normalized | 10.0 s (1.00×) | 6.00 s (1.67×) |",
    );
    const without = report({ dataSets: report().dataSets.slice(0, 1) });
    expect(renderOneFileTable(without)).toBeUndefined();
    expect(renderOneFileJobsTable(without)).toBeUndefined();
    expect(renderPerCoreTable(without)).toBeUndefined();
  });

  it("does not count the other shapes as data sizes", () => {
    expect(renderSizesSection(report())).toBeUndefined();
  });
});

describe("per-core cost", () => {
  it("spreads the wall time over the cores in use and divides the server's work by the tweets", () => {
    const one = report().results[9] as CaseResult; // pg_normalized, one file, --jobs 2
    const cost = perCoreCost(summarizeCase(one), 2, 2);
    expect(cost.cores).toBe(2);
    expect(cost.wallUsPerTweetCore).toBeCloseTo(12_000, 6); // 6 s × 2 cores / 1000 tweets
    expect(cost.clientCpuUsPerTweet).toBeCloseTo(4000, 6);
    expect(cost.clientShare).toBeCloseTo(4 / 12, 6);
    expect(cost.walBytesPerTweet).toBe(5000);
    expect(cost.commitsPerTweet).toBeCloseTo(1.001, 6);
    expect(perCoreCost(summarizeCase(one), 4, 2).cores).toBe(2);
  });

  it("names the likely limit from the figures", () => {
    const base = { jobs: 2, cores: 2, wallUsPerTweetCore: 200 };
    expect(likelyLimit({ ...base, commitsPerTweet: 1 }, 1.2)).toMatch(/^commit rate/);
    // More jobs, no speedup: the file went to one worker, whatever the CPU figures say.
    expect(likelyLimit({ ...base, clientCpuUsPerTweet: 100, clientShare: 0.9 }, 1.0)).toMatch(
      /^one worker: the file is not spread over the jobs/,
    );
    expect(likelyLimit({ ...base, jobs: 1, cores: 1, clientShare: 0.9 }, 1)).toMatch(/^client CPU/);
    expect(likelyLimit({ ...base, clientCpuUsPerTweet: 170, clientShare: 0.85 }, 1.7)).toMatch(
      /^client CPU/,
    );
    expect(
      likelyLimit(
        { ...base, clientCpuUsPerTweet: 40, clientShare: 0.2, walMBPerSecond: 31.6 },
        1.3,
      ),
    ).toBe("the server: its CPU and writes, WAL at 32 MB/s");
  });

  it("renders a row per loader and --jobs, the limit on the largest", () => {
    const text = renderPerCoreTable(report()) as string;
    expect(text).toContain(
      "| pg_normalized | 2 (1.67×) | 2 | 12000 µs | 4000 µs | 33% | 5,000 B | 1.00 | commit rate: one WAL flush per tweet (see the commit floor) |",
    );
    expect(text).toContain(
      "| pg_denormalized | 1 (1.00×) | 1 | 1200 µs | 1100 µs | 46% | 4,000 B | 0.00 |  |",
    );
    expect(text).toMatch(/\| pg_denormalized \| 2 \(1\.00×\) .* one worker/);
  });
});

describe("v2 pages, the shell pipeline and the commit floor", () => {
  it("shows v2 ÷ v1.1 per loader at the parallel jobs", () => {
    expect(renderV2Table(report())).toContain("| pg_normalized_batch | 1.00 s | 1.10 s | 1.10× |");
  });

  it("puts the pipeline in the timing table against the per-core floor", () => {
    expect(renderTimingTable(report())).toContain(
      "| reference: `unzip \\| sed \\| psql` through GNU parallel -j 2 | — | 0.75 s | — | 1,333 | — | 1.50× |",
    );
  });

  it("judges the one-file, pipeline and v2 targets and shows the commit floor beside the per-tweet one", () => {
    const checks = checkTargets(report());
    const find = (start: string) => checks.find((c) => c.target.startsWith(start));
    expect(find("pg_normalized parallel ≥ 4,000")?.measured).toBe(
      "200 tweets/s (commit floor: 3,500 commits/s on 2 connections)",
    );
    expect(find("pg_normalized: one file")).toEqual({
      target: "pg_normalized: one file at --jobs 2 ≤ 1.1 × 10 files at --jobs 2",
      measured: "1.20×",
      met: false,
    });
    expect(find("pg_normalized_batch: one file")?.met).toBe(true);
    expect(find("pg_denormalized parallel faster than")).toEqual({
      target: "pg_denormalized parallel faster than `unzip | sed | psql` through GNU parallel -j 2",
      measured: "0.80× the pipeline's time",
      met: true,
    });
    expect(find("pg_normalized_batch: v2 pages")).toMatchObject({ measured: "1.10×", met: true });
    expect(checks.some((c) => c.target.includes("baseline"))).toBe(false);
  });

  it("compares normalized_batch with the baseline run of the same data, within 5%", () => {
    const earlier = report();
    // Earlier, normalized_batch in parallel took 0.5 s against the same 0.5 s floor: 1.00×.
    (earlier.results[5] as CaseResult).samples = [sample(0.5)];
    const baseline = baselineOf(earlier, "bench-results/bench.json");
    expect(baseline.ratios.normalized_batch).toEqual({ sequential: 2, parallel: 1 });
    const checks = checkTargets(report({ baseline }));
    const par = checks.find((c) => c.target.startsWith("pg_normalized_batch parallel ÷ floor"));
    expect(par).toEqual({
      target: "pg_normalized_batch parallel ÷ floor within 5% of the baseline (1.00×, 2026-11-26)",
      measured: "2.00× (+100.0%)",
      met: false,
    });
    const seq = checks.find((c) => c.target.startsWith("pg_normalized_batch sequential ÷ floor"));
    expect(seq?.met).toBe(true);
    const otherData = checkTargets(report({ baseline: { ...baseline, tweets: 99 } }));
    expect(otherData.some((c) => c.target.includes("baseline"))).toBe(false);
  });

  it("renders every new section in the timing page, and the notes of what was left out", () => {
    const text = renderTimingPage(
      report({ notes: ["the shell pipeline reference was not run: parallel not installed."] }),
    );
    expect(text).toContain("The same tweets in one archive");
    expect(text).toContain("Commit floor: 3,500 commits/s of a trivial transaction");
    expect(text).toContain("| database | v1.1 lines, --jobs 2 | v2 pages, --jobs 2 | v2 ÷ v1.1 |");
    expect(text).toContain("On one big file (time, and speedup over `--jobs 1`)");
    expect(text).toContain("Per-core cost on the one big file.");
    expect(text).toContain("- the shell pipeline reference was not run: parallel not installed.");
    expect(text).toContain("| commit floor: autocommit one-row INSERTs | 2 connections | 2.00 s |");
  });
});
