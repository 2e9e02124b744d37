import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { derivedMismatch } from "../../../src/bench/data/verify-derived.js";
import { parseCaseGroups } from "../../../src/bench/plan/case-groups.js";
import { estimateCaseSeconds, estimateSeconds } from "../../../src/bench/plan/estimate.js";
import { type BenchArgs, benchSettings } from "../../../src/bench/plan/options.js";
import { planCases } from "../../../src/bench/plan/plan-cases.js";
import { LOADER_VARIANTS } from "../../../src/bench/plan/variants.js";
import { PIPELINE_JOB } from "../../../src/bench/timing/pipeline-tools.js";
import type { BenchCase } from "../../../src/bench/types.js";
import { UserError } from "../../../src/errors.js";

const args: BenchArgs = {
  runs: 3,
  seed: 1,
  floorStreams: 2,
  floorTool: "auto",
  updateReadme: false,
  readme: "README.md",
  yes: false,
};

const show = (c: BenchCase) => {
  switch (c.type) {
    case "load":
      return `${c.data} ${c.variant} ${c.jobs}`;
    case "copy":
      return `${c.data} copy ${c.streams}`;
    case "read":
      return `${c.data} read`;
    case "pipeline":
      return `${c.data} pipeline ${c.jobs}`;
    case "commit-floor":
      return `${c.data} commit-floor ${c.connections}`;
    case "storage":
      return `${c.data} storage ${c.storage} ${c.jobs}`;
    case "plain-copy":
      return `${c.data} plain-copy ${c.streams}`;
    default:
      return `${c.data} ${c.type}`;
  }
};

describe("--cases and the flags of the new cases", () => {
  it("runs every group by default and keeps a chosen subset in the plan's order", () => {
    expect(parseCaseGroups(undefined)).toEqual([
      "floor",
      "files",
      "one-file",
      "pipeline",
      "v2",
      "commit-floor",
      "stream-grab",
      "storage",
    ]);
    expect(parseCaseGroups("all")).toEqual(parseCaseGroups(undefined));
    expect(parseCaseGroups("v2, one-file")).toEqual(["one-file", "v2"]);
  });

  it("names the unknown group and the known ones", () => {
    expect(() => parseCaseGroups("one-file,pipe")).toThrow(UserError);
    expect(() => parseCaseGroups("one-file,pipe")).toThrow(
      /--cases takes .*floor, files, one-file, pipeline, v2, commit-floor, stream-grab, storage.*unknown: pipe/,
    );
    expect(() => parseCaseGroups(" , ")).toThrow(/unknown: \(empty\)/);
  });

  it("measures the one big file at 1, 2 and 4 jobs unless told, always with 1", () => {
    const s = benchSettings(args);
    expect(s.oneFileJobs).toEqual([1, 2, 4]);
    expect(s.commitFloorSeconds).toBe(3);
    expect(s.baselinePath).toMatch(/bench-results[/\\]bench\.json$/);
    expect(benchSettings({ ...args, oneFileJobs: "8,2" }).oneFileJobs).toEqual([1, 2, 8]);
    expect(() => benchSettings({ ...args, commitFloorSeconds: 0 })).toThrow(
      /--commit-floor-seconds must be more than 0/,
    );
    expect(benchSettings({ ...args, cases: "files,v2" }).groups).toEqual(["files", "v2"]);
  });
});

describe("the plan with the one big file, v2 pages, the pipeline and the commit floor", () => {
  const sources = [
    { key: "10x5", dir: "/a", archives: ["/a/1.zip"], tweetsPerFile: 5 },
    { key: "10x9", dir: "/b", archives: ["/b/1.zip"], tweetsPerFile: 9 },
    {
      key: "one-file:10x9",
      dir: "/o",
      archives: ["/o/all.zip"],
      derived: { of: "10x9", shape: "one-file" as const },
    },
    {
      key: "v2-pages:10x9",
      dir: "/v",
      archives: ["/v/1.zip"],
      derived: { of: "10x9", shape: "v2-pages" as const },
    },
  ];
  const variants = LOADER_VARIANTS.slice(1, 3);

  it("runs the N-file cases per set, then the other shapes of the main set, then the references", () => {
    const cases = planCases({
      dataSources: sources,
      variants,
      jobs: [1, 2],
      oneFileJobs: [1, 2, 4],
      floorStreams: 2,
      parallelJobs: 2,
    }).map(show);
    const perSet = (d: string) => [
      `${d} read`,
      `${d} copy 1`,
      `${d} copy 2`,
      `${d} normalized_batch 1`,
      `${d} normalized_batch 2`,
      `${d} denormalized 1`,
      `${d} denormalized 2`,
    ];
    expect(cases).toEqual([
      ...perSet("10x5"),
      ...perSet("10x9"),
      "one-file:10x9 normalized_batch 1",
      "one-file:10x9 normalized_batch 2",
      "one-file:10x9 normalized_batch 4",
      "one-file:10x9 denormalized 1",
      "one-file:10x9 denormalized 2",
      "one-file:10x9 denormalized 4",
      "v2-pages:10x9 normalized_batch 2",
      "v2-pages:10x9 denormalized 2",
      "10x9 pipeline 2",
      "10x9 commit-floor 2",
      "10x9 storage inline 2",
      "10x9 storage pglz 2",
      "10x9 storage lz4 2",
      "10x9 plain-copy 2",
    ]);
  });

  it("leaves out the groups not chosen", () => {
    const cases = planCases({
      dataSources: sources,
      variants,
      jobs: [1, 2],
      oneFileJobs: [1, 4],
      floorStreams: 2,
      parallelJobs: 2,
      groups: ["v2", "commit-floor"],
    }).map(show);
    expect(cases).toEqual([
      "v2-pages:10x9 normalized_batch 2",
      "v2-pages:10x9 denormalized 2",
      "10x9 commit-floor 2",
    ]);
  });
});

describe("the time a plan is expected to take", () => {
  const load = (variant: string, jobs: number, data = "d"): BenchCase => ({
    type: "load",
    variant,
    label: variant,
    db: variant,
    jobs,
    data,
  });

  it("costs one file at any --jobs as one core, v2 pages up to 1.2 ×, the commit floor its seconds", () => {
    const tweets = 100_000;
    const seq = estimateCaseSeconds(load("denormalized", 1), { tweets }, 3);
    const par = estimateCaseSeconds(load("denormalized", 2), { tweets }, 3);
    const oneFile4 = estimateCaseSeconds(load("denormalized", 4), { tweets, shape: "one-file" }, 3);
    const v2 = estimateCaseSeconds(load("denormalized", 2), { tweets, shape: "v2-pages" }, 3);
    expect(par).toBeLessThan(seq);
    expect(oneFile4).toBe(seq);
    expect(v2 - 1.5).toBeCloseTo((par - 1.5) * 1.2, 6);
    expect(
      estimateCaseSeconds({ type: "commit-floor", connections: 2, data: "d" }, { tweets }, 3),
    ).toBe(4.5);
  });

  it("adds every case and multiplies by the runs", () => {
    const cases = [load("normalized", 1), { type: "read", data: "d" } as BenchCase];
    const sets = new Map([["d", { tweets: 10_000 }]]);
    const once = estimateSeconds(cases, sets, 1, 3);
    expect(estimateSeconds(cases, sets, 3, 3)).toBeCloseTo(once * 3, 9);
    expect(once).toBeCloseTo(10_000 * 440e-6 + 10_000 * 16e-6 + 2 * 1.5, 9);
  });
});

describe("the loads of the same tweets in another shape", () => {
  const rows = { tweets: 600, users: 176 };
  const sample = { wallSeconds: 1, tweets: 606, rows };

  it("match when the tweets and every table's rows are the same", () => {
    expect(derivedMismatch("one-file", "pg_normalized", { ...sample }, sample)).toBeUndefined();
  });

  it("name the loader, the shape and what differs", () => {
    expect(derivedMismatch("v2-pages", "pg_normalized", { ...sample, tweets: 600 }, sample)).toBe(
      "pg_normalized loaded 600 tweets from the same tweets as v2 pages but 606 from the N-file set",
    );
    expect(
      derivedMismatch(
        "one-file",
        "pg_normalized",
        { ...sample, rows: { tweets: 600, users: 170, urls: 3 } },
        sample,
      ),
    ).toBe(
      "pg_normalized left other rows from the same tweets in one archive than from the N-file set: urls 3 instead of none, users 170 instead of 176",
    );
  });
});

describe("the shell pipeline's sed", () => {
  // The job's sed between `unzip -p {} |` and `| psql`, run by a real shell on real sed.
  const sed = PIPELINE_JOB.split(" | ")[1] as string;
  const through = (line: string) =>
    execFileSync("sh", ["-c", sed], { input: `${line}\n`, encoding: "utf8" }).trimEnd();

  it("drops the escape \\u0000 and doubles every backslash for COPY's text format", () => {
    expect(through('{"a":"x\\u0000y","d":"\\u0000\\u0000"}')).toBe('{"a":"xy","d":""}');
    expect(through('{"t":"a\\"b"}')).toBe('{"t":"a\\\\"b"}');
  });

  it("keeps an escaped backslash followed by u0000, as the loaders do", () => {
    expect(through('{"b":"C:\\\\u0000\\\\path"}')).toBe('{"b":"C:\\\\\\\\u0000\\\\\\\\path"}');
    expect(through('{"c":"\\\\\\u0000z"}')).toBe('{"c":"\\\\\\\\z"}');
  });
});
