import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceMarkedSection } from "../../../src/bench/reports/markers.js";
import { renderReadmeSummary, renderTimingPage } from "../../../src/bench/reports/page.js";
import { publishReport } from "../../../src/bench/reports/publish.js";
import type { BenchReport, CaseResult } from "../../../src/bench/types.js";
import { MissingMarkersError } from "../../../src/errors.js";

const MAIN = "2x10";
const run = (c: CaseResult["case"], wallSeconds: number): CaseResult => ({
  case: c,
  samples: [{ wallSeconds, tweets: 20, rows: { tweets: 20 } }],
});
const load = (variant: "normalized" | "denormalized", jobs: number, wall: number) =>
  run({ type: "load", variant, label: `pg_${variant}`, db: variant, jobs, data: MAIN }, wall);

/** A run of two loaders at --jobs 1 and 2 beside the floors, with a note of what was left out. */
const REPORT: BenchReport = {
  version: 1,
  date: "2026-11-26T10:00:00.000Z",
  command: "tweetload bench --files 2",
  machine: { cpuModel: "Test CPU", cores: 2, memoryGB: 8, os: "linux", node: "v20" },
  server: { version: "17", provider: "embedded", settings: { fsync: "on" } },
  runs: 1,
  jobs: [1, 2],
  floorStreams: 2,
  variants: [
    { id: "normalized", label: "pg_normalized", db: "normalized", extraArgs: [] },
    { id: "denormalized", label: "pg_denormalized", db: "denormalized", extraArgs: [] },
  ],
  dataSets: [{ key: MAIN, dir: "/d", files: 2, tweets: 20, archiveBytes: 1e6, jsonBytes: 2e6 }],
  mainData: MAIN,
  results: [
    run({ type: "read", data: MAIN }, 0.1),
    run({ type: "copy", streams: 1, data: MAIN }, 1),
    run({ type: "copy", streams: 2, data: MAIN }, 0.5),
    load("normalized", 1, 4),
    load("normalized", 2, 3),
    load("denormalized", 1, 1.5),
    load("denormalized", 2, 1),
  ],
  notes: ["the v2 rows were not run: they need the generated set."],
};

describe("the bench markers of the README and the timing page", () => {
  const readme = "# x\n\nbefore\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nafter\n";

  it("replaces only what lies between the markers", () => {
    const out = replaceMarkedSection(readme, "NEW");
    expect(out).toBe("# x\n\nbefore\n<!-- bench:start -->\nNEW\n<!-- bench:end -->\nafter\n");
    expect(replaceMarkedSection(out, "NEWER")).toContain(
      "<!-- bench:start -->\nNEWER\n<!-- bench:end -->",
    );
  });

  it.each([
    ["no markers", "# x\n"],
    ["only the start", "<!-- bench:start -->\n"],
    ["reversed", "<!-- bench:end -->\n<!-- bench:start -->\n"],
    ["doubled", "<!-- bench:start --><!-- bench:end --><!-- bench:start --><!-- bench:end -->"],
  ])("refuses a README with %s", (_, text) => {
    expect(() => replaceMarkedSection(text, "x")).toThrow(MissingMarkersError);
    expect(() => replaceMarkedSection(text, "x")).toThrow(
      /<!-- bench:start --> and <!-- bench:end -->/,
    );
  });
});

describe("the README's short section and the timing page", () => {
  it("keeps the main table, the floor and the chart in the README and points at the page", () => {
    const summary = renderReadmeSummary(REPORT, "docs/timing.md", "docs/bench.svg");
    const page = renderTimingPage(REPORT, "bench.svg");
    // The README's section is the page's beginning, without what follows the chart.
    const chartLine =
      "![Elapsed seconds per database, sequential and parallel, with the floor](docs/bench.svg)";
    expect(summary).toContain(chartLine);
    expect(page.startsWith(summary.slice(0, summary.indexOf(chartLine)))).toBe(true);
    expect(summary).toContain("| pg_normalized | 4.00 s | 3.00 s |");
    expect(summary).toMatch(/\[docs\/timing\.md\]\(docs\/timing\.md\)\.$/);
    for (const rest of ["Parallel speedup", "Not measured in this run", "<details>"]) {
      expect(summary).not.toContain(rest);
      expect(page).toContain(rest);
    }
  });

  describe("publishing with --update-readme", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "tweetload-bench-pages-"));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("writes the short section into the README and the full one into the page, each chart link from its own folder", async () => {
      const readmePath = join(dir, "README.md");
      const pagePath = join(dir, "docs", "timing.md");
      await mkdir(join(dir, "docs"));
      await writeFile(readmePath, "# r\n<!-- bench:start -->\nold\n<!-- bench:end -->\nend\n");
      await writeFile(pagePath, "# p\n<!-- bench:start -->\nold\n<!-- bench:end -->\n");
      const written = await publishReport(REPORT, {
        readmePath,
        pagePath,
        svgPath: join(dir, "docs", "bench.svg"),
        jsonPath: join(dir, "out", "bench.json"),
      });
      expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual([
        "README.md",
        "docs/bench.svg",
        "docs/timing.md",
        "out/bench.json",
      ]);
      const readme = await readFile(readmePath, "utf8");
      const page = await readFile(pagePath, "utf8");
      expect(readme).toContain("](docs/bench.svg)");
      expect(readme).toContain("[docs/timing.md](docs/timing.md)");
      expect(readme.endsWith("<!-- bench:end -->\nend\n")).toBe(true);
      expect(page).toContain("](bench.svg)");
      expect(page).toContain("<details><summary>Every case");
      const json = JSON.parse(await readFile(join(dir, "out", "bench.json"), "utf8"));
      expect(json.chartPath).toBe("docs/bench.svg");
    });

    it("writes nothing when the page has no markers", async () => {
      const readmePath = join(dir, "R2.md");
      const pagePath = join(dir, "P2.md");
      await writeFile(readmePath, "<!-- bench:start -->\n<!-- bench:end -->\n");
      await writeFile(pagePath, "# no markers\n");
      await expect(publishReport(REPORT, { readmePath, pagePath })).rejects.toThrow(
        /P2\.md does not contain the markers/,
      );
      expect(await readFile(readmePath, "utf8")).toBe("<!-- bench:start -->\n<!-- bench:end -->\n");
    });
  });
});
