import { describe, expect, it } from "vitest";
import { diffRows } from "../../src/check/compare-rows.js";
import { renderCheckTable } from "../../src/check/render-check-table.js";
import { type CheckReport, checkQuery } from "../../src/check/run-checks.js";

const TARGETS = {
  denormalized: "postgres://a/pg_denormalized",
  normalized: "n",
  normalized_batch: "b",
};

function report(
  queries: CheckReport["queries"],
  comparedWith: CheckReport["comparedWith"] = "expected",
): CheckReport {
  const ok = queries.every((q) => Object.values(q.cells).every((c) => c.status === "pass"));
  return { ok, comparedWith, reason: "compared with expected/", queries, targets: TARGETS };
}

describe("checkQuery", () => {
  it("passes the databases that answer as expected and fails the others", () => {
    const q = checkQuery(
      "05_x",
      [{ rows: ["#a|2", "#b|1"] }, { rows: ["#a|2"] }, { rows: ["#a|2", "#b|1"] }],
      ["#a|2", "#b|1"],
      true,
    );
    expect(q.cells.denormalized.status).toBe("pass");
    expect(q.cells.normalized).toMatchObject({
      status: "fail",
      diff: { missing: ["#b|1"], extra: [] },
    });
    expect(q.cells.normalized_batch.status).toBe("pass");
  });

  it("without expected answers takes the answer two databases share as right", () => {
    const q = checkQuery(
      "01_tweets",
      [{ rows: ["10"] }, { rows: ["9"] }, { rows: ["10"] }],
      undefined,
      false,
    );
    expect(q.reference).toBe("majority");
    expect([
      q.cells.denormalized.status,
      q.cells.normalized.status,
      q.cells.normalized_batch.status,
    ]).toEqual(["pass", "fail", "pass"]);
  });

  it("fails all when no two databases agree, and reports query errors as errors", () => {
    const q = checkQuery(
      "01_tweets",
      [{ rows: ["1"] }, { rows: ["2"] }, { error: 'relation "tweets" does not exist' }],
      undefined,
      false,
    );
    expect(q.reference).toBe("none");
    expect(q.cells.denormalized.status).toBe("fail");
    expect(q.cells.normalized.status).toBe("fail");
    expect(q.cells.normalized_batch).toEqual({
      status: "error",
      error: 'relation "tweets" does not exist',
    });
  });

  it("treats rows in another order as a failure", () => {
    const q = checkQuery(
      "08_x",
      [{ rows: ["1|5", "2|6"] }, { rows: ["2|6", "1|5"] }, { rows: ["1|5", "2|6"] }],
      ["1|5", "2|6"],
      true,
    );
    expect(q.cells.normalized).toMatchObject({ status: "fail", diff: { reordered: true } });
  });
});

describe("diffRows", () => {
  it("is a multiset difference", () => {
    expect(diffRows(["a", "a", "c"], ["a", "b"])).toEqual({
      missing: ["b"],
      extra: ["a", "c"],
      reordered: false,
    });
  });
});

describe("renderCheckTable", () => {
  it("prints a table of query × database and the differing rows of each failure", () => {
    const ok = checkQuery(
      "01_tweets",
      [{ rows: ["3"] }, { rows: ["3"] }, { rows: ["3"] }],
      ["3"],
      true,
    );
    const bad = checkQuery(
      "05_coronavirus_cotags",
      [{ rows: ["#a|2", "#b|1"] }, { rows: ["#a|2", "#c|1"] }, { rows: ["#a|2", "#b|1"] }],
      ["#a|2", "#b|1"],
      true,
    );
    const text = renderCheckTable(report([ok, bad]));
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^query\s+denormalized\s+normalized\s+normalized_batch$/);
    expect(lines[2]).toMatch(/^01_tweets\s+pass\s+pass\s+pass$/);
    expect(lines[3]).toMatch(/^05_coronavirus_cotags\s+pass\s+FAIL\s+pass$/);
    expect(text).toContain("05_coronavirus_cotags on normalized: differs from expected/");
    expect(text).toContain("  - #b|1");
    expect(text).toContain("  + #c|1");
    expect(lines.at(-1)).toBe("Failed: 05_coronavirus_cotags (compared with expected/).");
  });

  it("says so when everything passes, and caps long differences", () => {
    const good = checkQuery(
      "01_tweets",
      [{ rows: ["3"] }, { rows: ["3"] }, { rows: ["3"] }],
      ["3"],
      true,
    );
    expect(
      renderCheckTable(report([good]))
        .split("\n")
        .at(-1),
    ).toMatch(/^The 1 query agrees on all three databases/);
    const many = Array.from({ length: 30 }, (_, i) => `${i}|1`);
    const long = checkQuery("08_x", [{ rows: many }, { rows: [] }, { rows: many }], many, true);
    const text = renderCheckTable(report([long]));
    expect(text).toContain("… and 20 more");
  });
});
