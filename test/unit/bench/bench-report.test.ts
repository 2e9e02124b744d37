import { describe, expect, it } from "vitest";
import { renderDetailsTable } from "../../../src/bench/reports/details.js";
import { formatCount, formatRatio, formatSeconds } from "../../../src/bench/reports/format.js";
import { renderTimingPage } from "../../../src/bench/reports/page.js";
import { renderJobsTable, renderSizesSection } from "../../../src/bench/reports/scaling.js";
import { linearFit, median } from "../../../src/bench/reports/stats.js";
import { ReportIndex, summarizeCase } from "../../../src/bench/reports/summary.js";
import { renderChartSvg, tickStep } from "../../../src/bench/reports/svg.js";
import { checkTargets } from "../../../src/bench/reports/targets.js";
import { renderTimingTable } from "../../../src/bench/reports/timing-table.js";
import type { BenchReport, CaseResult, DataSet, LoaderVariant } from "../../../src/bench/types.js";

const VARIANTS: LoaderVariant[] = [
  { id: "normalized", label: "pg_normalized", db: "normalized", extraArgs: [] },
  { id: "normalized_batch", label: "pg_normalized_batch", db: "normalized_batch", extraArgs: [] },
  { id: "denormalized", label: "pg_denormalized", db: "denormalized", extraArgs: [] },
];

const samples = (tweets: number, ...walls: number[]) =>
  walls.map((w) => ({
    wallSeconds: w,
    tweets,
    userCpuSeconds: w / 2,
    systemCpuSeconds: 0.5,
    maxRssMB: 100 + w,
  }));

/** Seconds per database at 1 and 2 jobs, three runs each, the median in the middle. */
function report(extra: Partial<BenchReport> = {}): BenchReport {
  const data = "10x100";
  const results: CaseResult[] = [
    {
      case: {
        type: "load",
        variant: "normalized",
        label: "pg_normalized",
        db: "normalized",
        jobs: 1,
        data,
      },
      samples: samples(1000, 9, 10, 50),
    },
    {
      case: {
        type: "load",
        variant: "normalized",
        label: "pg_normalized",
        db: "normalized",
        jobs: 2,
        data,
      },
      samples: samples(1000, 5, 6, 4),
    },
    {
      case: {
        type: "load",
        variant: "normalized_batch",
        label: "pg_normalized_batch",
        db: "normalized_batch",
        jobs: 1,
        data,
      },
      samples: samples(1000, 2, 2, 2),
    },
    {
      case: {
        type: "load",
        variant: "normalized_batch",
        label: "pg_normalized_batch",
        db: "normalized_batch",
        jobs: 2,
        data,
      },
      samples: samples(1000, 1.5, 1.25, 1),
    },
    {
      case: {
        type: "load",
        variant: "denormalized",
        label: "pg_denormalized",
        db: "denormalized",
        jobs: 1,
        data,
      },
      samples: samples(1000, 1).map((x) => ({
        ...x,
        rows: { tweets_jsonb: 1000 },
        loaderSeconds: 0.8,
      })),
    },
    {
      case: {
        type: "load",
        variant: "denormalized",
        label: "pg_denormalized",
        db: "denormalized",
        jobs: 2,
        data,
      },
      samples: samples(1000, 0.6),
    },
    { case: { type: "copy", streams: 1, data }, samples: [{ wallSeconds: 0.8, tweets: 1000 }] },
    { case: { type: "copy", streams: 2, data }, samples: [{ wallSeconds: 0.5, tweets: 1000 }] },
    { case: { type: "read", data }, samples: [{ wallSeconds: 0.25, tweets: 1000 }] },
  ];
  return {
    version: 1,
    date: "2025-01-02T03:04:05.000Z",
    command: "tweetload bench --runs 3",
    machine: { cpuModel: "Test CPU", cores: 2, memoryGB: 8, os: "linux x64", node: "v20.0.0" },
    server: {
      version: "17.0",
      provider: "embedded",
      settings: { fsync: "on", synchronous_commit: "on", shared_buffers: "128MB" },
    },
    runs: 3,
    jobs: [1, 2],
    floorStreams: 2,
    variants: VARIANTS,
    dataSets: [
      {
        key: data,
        dir: "/d",
        files: 10,
        tweetsPerFile: 100,
        tweets: 1000,
        archiveBytes: 2e6,
        jsonBytes: 4e6,
      },
    ],
    mainData: data,
    results,
    chartPath: "docs/bench.svg",
    ...extra,
  };
}

describe("stats", () => {
  it("takes the median of odd and even counts without reordering the input", () => {
    const input = [3, 1, 2];
    expect(median(input)).toBe(2);
    expect(input).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });

  it("fits a straight line exactly and reports R² = 1", () => {
    const fit = linearFit([1, 2, 3], [12, 14, 16]);
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.intercept).toBeCloseTo(10);
    expect(fit.r2).toBeCloseTo(1);
    expect(linearFit([1, 2, 3], [1, 5, 2]).r2).toBeLessThan(0.5);
  });
});

describe("formatting", () => {
  it.each([
    [0.5, "0.50 s"],
    [12.345, "12.3 s"],
    [123.4, "123 s"],
  ])("seconds %s → %s", (s, text) => expect(formatSeconds(s)).toBe(text));

  it("groups thousands and prints ratios with two decimals", () => {
    expect(formatCount(1234567.4)).toBe("1,234,567");
    expect(formatCount(999)).toBe("999");
    expect(formatRatio(1.0849)).toBe("1.08×");
    expect(formatRatio(Number.NaN)).toBe("—");
  });
});

describe("summaries", () => {
  it("shows the median wall time, the median CPU and the highest peak memory", () => {
    const s = summarizeCase(report().results[0] as CaseResult);
    expect(s.wallSeconds).toBe(10);
    expect(s.tweetsPerSecond).toBe(100);
    expect(s.cpuSeconds).toBe(5.5);
    expect(s.maxRssMB).toBe(150);
  });
});

describe("timing table", () => {
  const lines = renderTimingTable(report()).split("\n");

  it("has the assignment's rows in order, then the floors", () => {
    expect(lines[0]).toMatch(/^\| database \| sequential \| parallel \(2 jobs\) \|/);
    expect(lines[1]).toMatch(/^\| :--- \| ---: \|/);
    const firstCells = lines.slice(2).map((l) => l.split("|")[1]?.trim());
    expect(firstCells).toEqual([
      "pg_normalized",
      "pg_normalized_batch",
      "pg_denormalized",
      "floor: `psql \\copy` into `tweets_jsonb`",
      "floor: read + decompress only",
    ]);
    const columns = lines[0]?.split("|").length;
    for (const line of lines) expect(line.split("|").length).toBe(columns);
  });

  it("shows medians, tweets/s and ratios to the matching floor", () => {
    // normalized: median 10 s sequential (÷ 0.8 s one-stream floor), 5 s parallel (÷ 0.5 s two-stream floor)
    expect(lines[2]).toBe("| pg_normalized | 10.0 s | 5.00 s | 100 | 200 | 12.50× | 10.00× |");
    expect(lines[3]).toBe("| pg_normalized_batch | 2.00 s | 1.25 s | 500 | 800 | 2.50× | 2.50× |");
    expect(lines[4]).toBe("| pg_denormalized | 1.00 s | 0.60 s | 1,000 | 1,667 | 1.25× | 1.20× |");
    expect(lines[6]).toContain("| 0.25 s | — | 4,000 |");
  });

  it("takes --jobs = cores as the parallel column when it was measured, else the largest", () => {
    const onCores = report({ jobs: [1, 2, 10] });
    expect(new ReportIndex(onCores).parallelJobs).toBe(2);
    const noCores = report({ jobs: [1, 4, 10] });
    expect(new ReportIndex(noCores).parallelJobs).toBe(10);
    expect(renderTimingTable(onCores).split("\n")[0]).toContain("parallel (2 jobs)");
  });

  it("leaves a dash where a case was not measured", () => {
    const r = report();
    r.results = r.results.filter(
      (x) => !(x.case.type === "load" && x.case.variant === "normalized" && x.case.jobs === 2),
    );
    expect(renderTimingTable(r).split("\n")[2]).toBe(
      "| pg_normalized | 10.0 s | — | 100 | — | 12.50× | — |",
    );
  });

  it("names the node COPY when psql was missing", () => {
    const r = report({ floorTool: "node" });
    expect(renderTimingTable(r)).toContain("| floor: `COPY from node` into `tweets_jsonb` |");
    expect(renderChartSvg(r)).toContain("floor: COPY from node, 2 streams");
    expect(renderTimingPage(r)).toContain("because no `psql` was installed");
  });

  it("gets a row for a fourth loader variant", () => {
    const r = report({
      variants: [
        ...VARIANTS,
        {
          id: "normalized_batched",
          label: "pg_normalized, batched",
          db: "normalized",
          extraArgs: ["--batch"],
        },
      ],
    });
    expect(renderTimingTable(r)).toContain("| pg_normalized, batched | — | — |");
  });
});

describe("scaling", () => {
  it("shows the speedup over --jobs 1", () => {
    expect(renderJobsTable(report())).toContain(
      "| pg_normalized | 10.0 s (1.00×) | 5.00 s (2.00×) |",
    );
    expect(renderJobsTable(report({ jobs: [1] }))).toBeUndefined();
  });

  it("fits time against tweets over several sizes and says whether it is linear", () => {
    const base = report();
    const small = {
      ...(base.dataSets[0] as DataSet),
      key: "10x50",
      tweetsPerFile: 50,
      tweets: 500,
    };
    const r = report({
      dataSets: [small, ...base.dataSets],
      results: [
        ...base.results,
        ...base.results.map((x) => ({
          case: { ...x.case, data: "10x50" },
          samples: x.samples.map((s) => ({ ...s, tweets: 500, wallSeconds: s.wallSeconds / 2 })),
        })),
      ],
    });
    const text = renderSizesSection(r) as string;
    expect(text).toContain(
      "| pg_normalized, sequential | 5.00 s (10000.0 µs/tweet) | 10.0 s (10000.0 µs/tweet) | 10000.0 µs | 0.00 s | 1.0000 |",
    );
    expect(text).toMatch(/Time grows linearly .* R² ≥ 1\.0000/);
    expect(renderSizesSection(report())).toBeUndefined();
  });
});

describe("targets", () => {
  it("judges each measured target and leaves out the unmeasured ones", () => {
    const checks = checkTargets(report());
    expect(checks).toEqual([
      // 0.6 s parallel ÷ 0.5 s two-stream floor
      {
        target: "pg_denormalized parallel ≤ 1.10 × floor (per-core streams)",
        measured: "1.20×",
        met: false,
      },
      { target: "pg_normalized sequential ≥ 2,000 tweets/s", measured: "100 tweets/s", met: false },
      { target: "pg_normalized parallel ≥ 4,000 tweets/s", measured: "200 tweets/s", met: false },
      {
        target: "pg_normalized_batch parallel ≥ 12,000 tweets/s",
        measured: "800 tweets/s",
        met: false,
      },
      // 1.25 s ÷ 0.6 s
      {
        target: "pg_normalized_batch parallel ≤ 1.3 × pg_denormalized parallel",
        measured: "2.08×",
        met: false,
      },
      { target: "peak memory of every load < 512 MB", measured: "150 MB", met: true },
    ]);
  });

  it("passes a target that is met", () => {
    const r = report();
    const copy2 = r.results.find(
      (x) => x.case.type === "copy" && x.case.streams === 2,
    ) as CaseResult;
    copy2.samples = [{ wallSeconds: 0.55, tweets: 1000 }];
    expect(checkTargets(r)[0]).toMatchObject({ measured: "1.09×", met: true });
  });
});

describe("details", () => {
  it("lists every case with CPU, memory and row counts", () => {
    const text = renderDetailsTable(report());
    expect(text.split("\n")).toHaveLength(2 + 9);
    expect(text).toContain(
      "| pg_denormalized | 1 | 1.00 s | 0.80 s | 1 | 1,000 | 1,000 | 1.00 s | 101 MB | — | tweets_jsonb 1,000 |",
    );
  });
});

describe("chart", () => {
  const svg = renderChartSvg(report());

  it("is one SVG document with a bar for every database and run kind", () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    for (const v of VARIANTS) {
      for (const run of ["sequential", "parallel"]) {
        expect(svg).toMatch(new RegExp(`<rect class="bar" data-db="${v.id}" data-run="${run}"`));
      }
    }
    expect(svg.match(/class="bar"/g)).toHaveLength(6);
  });

  it("draws both floors as lines and labels its axes", () => {
    expect(svg.match(/<line class="floor"/g)).toHaveLength(2);
    expect(svg).toContain("elapsed time, seconds (median of 3)");
    expect(svg).toContain(">database</text>");
  });

  it("puts a taller bar higher", () => {
    const top = (db: string) =>
      Number(
        svg.match(new RegExp(`data-db="${db}" data-run="sequential" x="[^"]+" y="([^"]+)"`))?.[1],
      );
    expect(top("normalized")).toBeLessThan(top("denormalized"));
  });

  it.each([
    [10, 2],
    [0.9, 0.2],
    [47, 10],
  ])("picks a round tick step for %s", (max, step) => expect(tickStep(max)).toBeCloseTo(step));
});

describe("timing page", () => {
  it("names the machine, server settings, command and date, and shows the chart", () => {
    const text = renderTimingPage(report());
    expect(text).toContain("Measured on 2025-01-02 with `tweetload bench --runs 3`.");
    expect(text).toContain("Test CPU, 2 cores, 8 GB memory");
    const busy = report();
    busy.machine.loadAverage = { start: 0.5, end: 3.25 };
    expect(renderTimingPage(busy)).toContain(
      "Node v20.0.0; load average 0.5 at the start, 3.3 at the end (other work shared the cores: expect noise).",
    );
    expect(text).toContain(
      "PostgreSQL 17.0 (embedded); fsync=on, synchronous_commit=on, shared_buffers=128MB.",
    );
    expect(text).toContain(
      "![Elapsed seconds per database, sequential and parallel, with the floor](docs/bench.svg)",
    );
    expect(text).toContain("| pg_normalized | 10.0 s | 5.00 s |");
  });
});
