import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timeNodeCopy } from "../../src/bench/timing/floor-copy.js";
import type { BenchReport } from "../../src/bench/types.js";
import { withClient } from "../../src/db/client.js";
import type { Targets } from "../../src/db/kinds.js";
import { projectPath } from "../../src/paths.js";
import { freshDatabase, freshTargets } from "./helpers/database.js";

const run = promisify(execFile);
const cli = projectPath("bin", "tweetload.js");

function targetFlags(targets: Targets): string[] {
  return [
    "--denormalized-url",
    targets.denormalized,
    "--normalized-url",
    targets.normalized,
    "--normalized-batch-url",
    targets.normalized_batch,
  ];
}

describe("tweetload bench on a tiny generated set", () => {
  let home: string;
  let fresh: Awaited<ReturnType<typeof freshTargets>>;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), "tweetload-bench-it-"));
    fresh = await freshTargets();
  });
  afterAll(async () => {
    await fresh?.drop();
    await rm(home, { recursive: true, force: true });
  });

  it("times every loader sequentially and in parallel beside the floor, and writes JSON, chart, README and timing page", async () => {
    const readme = join(home, "README.md");
    const page = join(home, "docs", "timing.md");
    await writeFile(readme, "# t\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\ntail\n");
    await mkdir(join(home, "docs"));
    await writeFile(page, "# timing\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n");
    const { stdout, stderr } = await run(
      process.execPath,
      [
        cli,
        "bench",
        "--yes",
        ...targetFlags(fresh.targets),
        "--files",
        "2",
        "--tweets-per-file",
        "20",
        "--runs",
        "1",
        // The other groups have their own test (bench-shapes.test.ts).
        "--cases",
        "floor,files",
        "--json",
        join(home, "out", "bench.json"),
        "--svg",
        join(home, "out", "bench.svg"),
        "--update-readme",
        "--readme",
        readme,
      ],
      { env: { ...process.env, TWEETLOAD_HOME: home }, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stderr).toMatch(/generating 2 files × 20 tweets/);

    const report = JSON.parse(
      await readFile(join(home, "out", "bench.json"), "utf8"),
    ) as BenchReport;
    expect(report.jobs).toEqual([1, 2]);
    expect(report.server.provider).toBe("external");
    expect(report.server.settings).toHaveProperty("fsync");
    const [data] = report.dataSets;
    expect(data?.files).toBe(2);
    expect(data?.tweets).toBeGreaterThanOrEqual(40);
    const loads = report.results.filter((r) => r.case.type === "load");
    expect(
      loads.map(
        (r) =>
          `${r.case.type === "load" ? r.case.variant : ""}:${r.case.type === "load" ? r.case.jobs : ""}`,
      ),
    ).toEqual([
      "normalized:1",
      "normalized:2",
      "normalized_batch:1",
      "normalized_batch:2",
      "denormalized:1",
      "denormalized:2",
      "normalized_batched:1",
      "normalized_batched:2",
    ]);
    for (const r of report.results) {
      expect(r.samples).toHaveLength(1);
      expect(r.samples[0]?.wallSeconds).toBeGreaterThan(0);
    }
    const denormalized = loads.filter(
      (r) => r.case.type === "load" && r.case.db === "denormalized",
    );
    for (const r of denormalized) expect(r.samples[0]?.rows?.tweets_jsonb).toBe(data?.tweets);
    const copies = report.results.filter((r) => r.case.type === "copy");
    expect(copies.length).toBeGreaterThanOrEqual(1);
    for (const r of copies) expect(r.samples[0]?.rows?.tweets_jsonb).toBe(data?.tweets);
    const normalized = loads.find((r) => r.case.type === "load" && r.case.db === "normalized");
    expect(normalized?.samples[0]?.rows?.tweets).toBeGreaterThan(0);
    expect(normalized?.samples[0]?.maxRssMB).toBeGreaterThan(0);
    // The batched loader keeps the constraints: the same rows as the per-tweet loader.
    const batched = loads.find(
      (r) => r.case.type === "load" && r.case.variant === "normalized_batched",
    );
    expect(batched?.samples[0]?.rows).toEqual(normalized?.samples[0]?.rows);

    const svg = await readFile(join(home, "out", "bench.svg"), "utf8");
    expect(svg.match(/class="bar"/g)).toHaveLength(8);
    const updated = await readFile(readme, "utf8");
    expect(updated).toMatch(/^# t\n\n<!-- bench:start -->\nMeasured on /);
    expect(updated).toContain("| pg_normalized_batch |");
    expect(updated).toContain("](out/bench.svg)");
    expect(updated.endsWith("<!-- bench:end -->\n\ntail\n")).toBe(true);
    // The README keeps the main table; every other table goes to the timing page.
    expect(updated).toContain("[docs/timing.md](docs/timing.md)");
    expect(updated).not.toContain("<details>");
    const timing = await readFile(page, "utf8");
    expect(timing).toMatch(/^# timing\n\n<!-- bench:start -->\nMeasured on /);
    expect(timing).toContain("| pg_normalized_batch |");
    expect(timing).toContain("](../out/bench.svg)");
    expect(timing).toContain("<details><summary>Every case");
    expect(timing.endsWith("<!-- bench:end -->\n")).toBe(true);
    expect(stdout).toContain("| pg_denormalized |");
  });

  it("stops before measuring when the timing page has no markers", async () => {
    const readme = join(home, "marked", "README.md");
    await mkdir(join(home, "marked", "docs"), { recursive: true });
    await writeFile(readme, "<!-- bench:start -->\n<!-- bench:end -->\n");
    await writeFile(join(home, "marked", "docs", "timing.md"), "# no markers\n");
    const failed = await run(
      process.execPath,
      [cli, "bench", "--yes", ...targetFlags(fresh.targets), "--update-readme", "--readme", readme],
      { env: { ...process.env, TWEETLOAD_HOME: home } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(
      /timing\.md does not contain the markers/,
    );
  });

  it("stops before measuring when the README has no markers", async () => {
    const readme = join(home, "NO-MARKERS.md");
    await writeFile(readme, "# nothing here\n");
    const failed = await run(
      process.execPath,
      [cli, "bench", "--yes", ...targetFlags(fresh.targets), "--update-readme", "--readme", readme],
      {
        env: { ...process.env, TWEETLOAD_HOME: home },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(
      /does not contain the markers <!-- bench:start --> and <!-- bench:end -->/,
    );
  });
});

describe("the floor's COPY without psql", () => {
  it("loads the same JSON lines from node, untouched, in two streams", async () => {
    const db = await freshDatabase("denormalized");
    const dir = await mkdtemp(join(tmpdir(), "tweetload-bench-copy-"));
    try {
      const lines = [
        '{"id":1,"user":{"id":9},"t":"a \\"q\\", b\\\\c"}',
        '{"id":9223372036854775807,"user":{"id":9}}',
        '{"id":3,"user":{"id":9},"t":"é\\t"}',
      ];
      await writeFile(join(dir, "a.jsonl"), `${lines[0]}\n${lines[1]}\n`);
      await writeFile(join(dir, "b.jsonl"), `${lines[2]}\n`);
      const seconds = await timeNodeCopy(db.url, [[join(dir, "a.jsonl")], [join(dir, "b.jsonl")]]);
      expect(seconds).toBeGreaterThan(0);
      const rows = await withClient(db.url, async (c) =>
        (
          await c.query<{ t: string }>(
            "SELECT data::text AS t FROM tweets_jsonb ORDER BY data->'id'",
          )
        ).rows.map((r) => r.t),
      );
      expect(rows).toEqual([
        '{"t": "a \\"q\\", b\\\\c", "id": 1, "user": {"id": 9}}',
        '{"t": "é\\t", "id": 3, "user": {"id": 9}}',
        '{"id": 9223372036854775807, "user": {"id": 9}}',
      ]);
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
