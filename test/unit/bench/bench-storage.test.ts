import { describe, expect, it } from "vitest";
import { storageCases } from "../../../src/bench/cases/storage.js";
import type { BenchReport, CaseResult, Sample } from "../../../src/bench/types.js";

const data = "10x100";
const storageRun = (
  storage: string,
  wall: number,
  queries: number[],
  bytes: number,
): CaseResult => ({
  case: { type: "storage", storage, jobs: 2, data },
  samples: [wall, wall * 2, wall / 2].map(
    (w): Sample => ({ wallSeconds: w, tweets: 1000, bytes, querySeconds: queries }),
  ),
});

/** A report holding what `--cases files,storage` measures, with the fields the group reads. */
function report(results: CaseResult[]): BenchReport {
  return {
    mainData: data,
    floorStreams: 2,
    floorTool: "psql",
    jobs: [1, 2],
    machine: { cores: 2 },
    results,
  } as unknown as BenchReport;
}

describe("bench --cases storage", () => {
  const results = [
    storageRun("inline", 5, [1, 2], 200 * 2 ** 20),
    storageRun("pglz", 10, [4, 4], 100 * 2 ** 20),
    {
      case: { type: "storage", storage: "lz4", jobs: 2, data },
      samples: [{ wallSeconds: 0, tweets: 0, unavailable: "the server is built without it" }],
    },
    {
      case: { type: "plain-copy", streams: 2, data },
      samples: [{ wallSeconds: 8, tweets: 1000, bytes: 100 * 2 ** 20 }],
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
      samples: [{ wallSeconds: 4, tweets: 1000 }],
    },
  ];

  it("shows each storage's load, queries and bytes against pglz, the plain copy, and what the server lacks", () => {
    const [intro, table] = storageCases.sections?.readme?.(report(results)) ?? [];
    expect(intro).toMatch(/db reset --storage .*a new database gets inline/);
    const rows = (table ?? "").split("\n");
    expect(rows).toContain("| inline | 5.00 s | 0.50× | 3.00 s | 0.38× | 2.00 s | 200 MB |");
    expect(rows).toContain("| pglz | 10.0 s | 1.00× | 8.00 s | 1.00× | 4.00 s | 100 MB |");
    expect(rows).toContain("| lz4 | not measured: the server is built without it |  |  |  |  |  |");
    expect(rows).toContain(
      "| floor: `psql \\copy` into a plain jsonb table, 2 streams | 8.00 s | 0.80× | — | — | — | 100 MB |",
    );
  });

  it("judges pg_denormalized against 0.75× the plain copy's time", () => {
    const [check] = storageCases.targets?.(report(results)) ?? [];
    expect(check).toMatchObject({ measured: "0.50×", met: true });
    const slow = results.map((r) =>
      r.case.type === "load" ? { ...r, samples: [{ wallSeconds: 7, tweets: 1000 }] } : r,
    );
    expect(storageCases.targets?.(report(slow))[0]).toMatchObject({
      measured: "0.88×",
      met: false,
    });
  });

  it("says nothing where no storage case was measured", () => {
    expect(storageCases.sections?.readme?.(report([]))).toEqual([]);
  });
});
