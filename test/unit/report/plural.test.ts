import { describe, expect, it } from "vitest";
import { countOf } from "../../../src/report/plural.js";

describe("countOf (regression: 'total (1 files)')", () => {
  it.each([
    [0, "file", "0 files"],
    [1, "file", "1 file"],
    [2, "file", "2 files"],
    [12_345, "tweet", "12,345 tweets"],
  ])("%d %s → %s", (n, noun, text) => {
    expect(countOf(n, noun)).toBe(text);
  });

  it("takes an irregular plural", () => {
    expect(countOf(1, "query", "queries")).toBe("1 query");
    expect(countOf(3, "query", "queries")).toBe("3 queries");
  });
});

describe("the load summary's total row", () => {
  it("says 'total (1 file)' for one file", async () => {
    const { renderSummaryTable } = await import("../../../src/report/summary.js");
    const { totalsOf } = await import("../../../src/run/run-load.js");
    const files = [
      {
        file: "data/a.zip",
        db: "denormalized" as const,
        tweets: 3,
        rejects: 0,
        seconds: 1,
        tweetsPerSecond: 3,
        status: "loaded" as const,
        notices: {},
      },
    ];
    const text = renderSummaryTable({ files, totals: totalsOf(files, 1) });
    expect(text).toMatch(/total \(1 file\)/);
    expect(text).not.toMatch(/1 files/);
  });
});
