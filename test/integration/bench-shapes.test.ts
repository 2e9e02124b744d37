import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BenchReport, CaseResult, Sample } from "../../src/bench/types.js";
import { projectPath } from "../../src/paths.js";
import { freshTargets } from "./helpers/database.js";

const run = promisify(execFile);
const cli = projectPath("bin", "tweetload.js");

const onlySample = (r: CaseResult | undefined): Sample => {
  expect(r?.samples).toHaveLength(1);
  return r?.samples[0] as Sample;
};

describe("tweetload bench: one big file, v2 pages, the shell pipeline and the commit floor", () => {
  let home: string;
  let fresh: Awaited<ReturnType<typeof freshTargets>>;
  let report: BenchReport;
  let stdout: string;
  const json = () => join(home, "out", "bench.json");
  const flags = () => [
    "--denormalized-url",
    fresh.targets.denormalized,
    "--normalized-url",
    fresh.targets.normalized,
    "--normalized-batch-url",
    fresh.targets.normalized_batch,
  ];

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "tweetload-bench-shapes-"));
    fresh = await freshTargets();
    const out = await run(
      process.execPath,
      [
        cli,
        "bench",
        "--yes",
        ...flags(),
        "--files",
        "2",
        "--tweets-per-file",
        "30",
        "--runs",
        "1",
        "--db",
        "normalized,denormalized",
        "--jobs",
        "2",
        "--one-file-jobs",
        "2",
        "--commit-floor-seconds",
        "0.5",
        "--baseline",
        join(home, "none.json"),
        "--json",
        json(),
      ],
      { env: { ...process.env, TWEETLOAD_HOME: home }, maxBuffer: 16 * 1024 * 1024 },
    );
    stdout = out.stdout;
    report = JSON.parse(await readFile(json(), "utf8")) as BenchReport;
  });
  afterAll(async () => {
    await fresh?.drop();
    await rm(home, { recursive: true, force: true });
  });

  const find = (pred: (r: CaseResult) => boolean) => report.results.find(pred);
  const loadOf = (variant: string, jobs: number, data: string) =>
    find(
      (r) =>
        r.case.type === "load" &&
        r.case.variant === variant &&
        r.case.jobs === jobs &&
        r.case.data === data,
    );

  it("makes the one-file and v2 sets from the main set's tweets", () => {
    const [main, one, v2] = report.dataSets;
    expect(main?.files).toBe(2);
    expect(one).toMatchObject({ files: 1, derived: { of: main?.key, shape: "one-file" } });
    expect(v2).toMatchObject({ files: 2, derived: { of: main?.key, shape: "v2-pages" } });
    expect(one?.tweets).toBe(main?.tweets);
    expect(report.oneFileJobs).toEqual([1, 2]);
  });

  it("loads the one big file at every --jobs into exactly the rows of the N files", () => {
    const main = report.mainData;
    const one = report.dataSets[1]?.key as string;
    for (const variant of ["normalized", "denormalized"]) {
      const files = onlySample(loadOf(variant, 1, main));
      for (const jobs of [1, 2]) {
        const s = onlySample(loadOf(variant, jobs, one));
        expect(s.tweets).toBe(report.dataSets[0]?.tweets);
        expect(s.rows).toEqual(files.rows);
      }
    }
    const denorm = onlySample(loadOf("denormalized", 2, one));
    expect(denorm.rows?.tweets_jsonb).toBe(report.dataSets[0]?.tweets);
    // The server's counters: WAL written, and the per-tweet loader's one commit per tweet.
    expect(denorm.server?.walBytes).toBeGreaterThan(0);
    const perTweet = onlySample(loadOf("normalized", 1, one));
    expect(perTweet.server?.xactCommit).toBeGreaterThanOrEqual(perTweet.tweets);
  });

  it("loads the same tweets as v2 pages into the same rows, at the parallel jobs", () => {
    const v2 = report.dataSets[2]?.key as string;
    for (const variant of ["normalized", "denormalized"]) {
      const s = onlySample(loadOf(variant, 2, v2));
      expect(s.tweets).toBe(report.dataSets[0]?.tweets);
      expect(s.rows).toEqual(onlySample(loadOf(variant, 2, report.mainData)).rows);
    }
    expect(loadOf("normalized", 1, v2)).toBeUndefined();
  });

  it("runs the shell pipeline into pg_denormalized with every tweet, and the commit floor", () => {
    const pipe = onlySample(find((r) => r.case.type === "pipeline"));
    expect(pipe.rows).toEqual({ tweets_jsonb: report.dataSets[0]?.tweets });
    const floor = onlySample(find((r) => r.case.type === "commit-floor"));
    expect(floor.commits).toBeGreaterThan(10);
    expect(floor.rows).toEqual({ tweetload_commit_floor: floor.commits });
    expect(floor.wallSeconds).toBeGreaterThanOrEqual(0.5);
  });

  it("prints the new tables, and --from renders them again from the JSON", async () => {
    for (const text of [
      stdout,
      (await run(process.execPath, [cli, "bench", "--from", json()])).stdout,
    ]) {
      expect(text).toContain("The same tweets in one archive");
      expect(text).toMatch(/\| reference: `unzip \\\| sed \\\| psql` through GNU parallel -j 2 \|/);
      expect(text).toMatch(/Commit floor: [\d,]+ commits\/s/);
      expect(text).toContain("| v2 ÷ v1.1 |");
      expect(text).toContain("Per-core cost on the one big file.");
    }
  });
});

describe("tweetload bench without GNU parallel", () => {
  it("skips the shell pipeline with a note instead of failing", async () => {
    const home = await mkdtemp(join(tmpdir(), "tweetload-bench-nopar-"));
    const fresh = await freshTargets();
    try {
      // A PATH with the other tools the pipeline needs, but no `parallel`.
      const bin = join(home, "bin");
      await mkdir(bin);
      for (const tool of ["psql", "unzip", "sed"]) {
        const { stdout: path } = await run("sh", ["-c", `command -v ${tool}`]);
        await symlink(path.trim(), join(bin, tool));
      }
      const { stdout, stderr } = await run(
        process.execPath,
        [
          cli,
          "bench",
          "--yes",
          "--denormalized-url",
          fresh.targets.denormalized,
          "--normalized-url",
          fresh.targets.normalized,
          "--normalized-batch-url",
          fresh.targets.normalized_batch,
          "--files",
          "1",
          "--tweets-per-file",
          "5",
          "--runs",
          "1",
          "--cases",
          "pipeline",
        ],
        { env: { ...process.env, PATH: bin, TWEETLOAD_HOME: home } },
      );
      expect(stderr).toMatch(
        /note: the shell pipeline reference .* was not run: parallel not installed/,
      );
      expect(stdout).toMatch(/Not measured in this run:\n\n- the shell pipeline reference/);
      expect(stdout).not.toContain("reference: `unzip");
    } finally {
      await fresh.drop();
      await rm(home, { recursive: true, force: true });
    }
  });
});
