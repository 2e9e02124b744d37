import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BenchArgs, benchSettings, parseList } from "../../../src/bench/plan/options.js";
import { planCases } from "../../../src/bench/plan/plan-cases.js";
import { LOADER_VARIANTS } from "../../../src/bench/plan/variants.js";
import { benchTargets, namesAServer } from "../../../src/bench/run/servers.js";
import { UserError } from "../../../src/errors.js";
import { projectPath } from "../../../src/paths.js";

const base: BenchArgs = {
  runs: 3,
  seed: 1,
  floorStreams: 2,
  floorTool: "auto",
  updateReadme: false,
  readme: "README.md",
  yes: false,
};

describe("bench flags", () => {
  it("defaults to the full-size generated set, every loader, no files written", () => {
    const s = benchSettings(base);
    expect(s.data).toEqual({ files: 10, sizes: [10_000], seed: 1 });
    expect(s.variants.map((v) => v.label)).toEqual([
      "pg_normalized",
      "pg_normalized_batch",
      "pg_denormalized",
      "pg_normalized, batched",
    ]);
    expect(s.variants[3]?.extraArgs).toEqual(["--batch"]);
    expect(s.jobs).toBeUndefined();
    expect(s.jsonPath).toBeUndefined();
    expect(s.svgPath).toBeUndefined();
  });

  it("always measures --jobs 1 and sorts the list", () => {
    expect(benchSettings({ ...base, jobs: "4,2" }).jobs).toEqual([1, 2, 4]);
    expect(parseList("10, 1,5,5", "sizes")).toEqual([1, 5, 10]);
    expect(() => parseList("1,x", "jobs")).toThrow(/--jobs takes positive whole numbers/);
    expect(() => parseList("0", "jobs")).toThrow(UserError);
  });

  it("takes several sizes, or a folder of archives, but not both", () => {
    expect(benchSettings({ ...base, sizes: "1000,5000", files: 4 }).data).toEqual({
      files: 4,
      sizes: [1000, 5000],
      seed: 1,
    });
    expect(benchSettings({ ...base, data: "/x" }).data).toEqual({ dir: "/x" });
    expect(() => benchSettings({ ...base, data: "/x", sizes: "10" })).toThrow(/one or the other/);
    expect(() => benchSettings({ ...base, sizes: "10", tweetsPerFile: 5 })).toThrow(
      /drop --tweets-per-file/,
    );
  });

  it("selects loaders by id and refuses unknown ones", () => {
    expect(benchSettings({ ...base, db: "denormalized" }).variants.map((v) => v.id)).toEqual([
      "denormalized",
    ]);
    expect(() => benchSettings({ ...base, db: "mongo" })).toThrow(/unknown: mongo/);
    expect(() => benchSettings({ ...base, runs: 0 })).toThrow(/--runs/);
    expect(() => benchSettings({ ...base, floorTool: "pv" })).toThrow(
      /--floor-tool is auto, psql or node/,
    );
  });

  it("publishes the chart and JSON under docs/ with --update-readme", () => {
    const s = benchSettings({ ...base, updateReadme: true });
    expect(s.svgPath).toBe(projectPath("docs", "bench.svg"));
    expect(s.jsonPath).toBe(projectPath("bench-results", "bench.json"));
    expect(benchSettings({ ...base, updateReadme: true, svg: "x.svg" }).svgPath).toBe("x.svg");
    // The full tables go to docs/timing.md beside the README, unless told otherwise.
    expect(benchSettings({ ...base, readme: "/r/README.md" }).timingPagePath).toBe(
      join("/r", "docs", "timing.md"),
    );
    expect(benchSettings({ ...base, timingPage: "t.md" }).timingPagePath).toBe("t.md");
  });
});

describe("bench targets", () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "tweetload-bench-home-"));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it("notices a server named by flag or environment", () => {
    expect(namesAServer({}, {})).toBe(false);
    expect(namesAServer({ normalized: "postgres://x/y" }, {})).toBe(true);
    expect(namesAServer({}, { TWEETLOAD_DENORMALIZED_URL: "postgres://x/y" })).toBe(true);
    expect(namesAServer({}, { PGHOST: "db" })).toBe(true);
  });

  it("refuses to wipe a server that is not an embedded cluster without --yes", async () => {
    const env = { TWEETLOAD_HOME: home };
    const flags = {
      denormalized: "postgres://u:secret@db:5432/pg_denormalized",
      normalized: "postgres://u:secret@db:5432/pg_normalized",
      normalized_batch: "postgres://u:secret@db:5432/pg_normalized_batch",
    };
    const up = () => Promise.reject(new Error("must not start clusters"));
    const attempt = benchTargets({ flags, env, yes: false, up, log: () => {} });
    await expect(attempt).rejects.toThrow(/drops and re-creates .* Pass --yes/);
    await expect(attempt).rejects.not.toThrow(/secret/);
    const allowed = await benchTargets({ flags, env, yes: true, up, log: () => {} });
    expect(allowed).toEqual({ targets: flags, provider: "external" });
  });

  it("starts the embedded clusters when nothing is named and none runs", async () => {
    const embedded = { denormalized: "a", normalized: "b", normalized_batch: "c" };
    const lines: string[] = [];
    const got = await benchTargets({
      flags: {},
      env: { TWEETLOAD_HOME: home },
      yes: false,
      up: async () => embedded,
      log: (l) => lines.push(l),
    });
    expect(got).toEqual({ targets: embedded, provider: "embedded" });
    expect(lines.join()).toMatch(/starting the embedded PostgreSQL clusters/);
  });
});

describe("bench plan", () => {
  it("runs the floors first, then every loader at every --jobs value, for each data set", () => {
    const variants = LOADER_VARIANTS.slice(0, 2);
    const cases = planCases({
      dataSources: [
        { key: "small", dir: "/s", archives: [] },
        { key: "big", dir: "/b", archives: [] },
      ],
      variants,
      jobs: [1, 4],
      floorStreams: 2,
      groups: ["floor", "files"],
    }).map((c) =>
      c.type === "load"
        ? `${c.data} ${c.variant} ${c.jobs}`
        : c.type === "copy"
          ? `${c.data} copy ${c.streams}`
          : `${c.data} read`,
    );
    const perSet = (d: string) => [
      `${d} read`,
      `${d} copy 1`,
      `${d} copy 2`,
      `${d} normalized 1`,
      `${d} normalized 4`,
      `${d} normalized_batch 1`,
      `${d} normalized_batch 4`,
    ];
    expect(cases).toEqual([...perSet("small"), ...perSet("big")]);
  });
});
