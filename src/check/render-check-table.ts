import { DB_KINDS } from "../db/targets.js";
import type { CheckReport } from "./run-checks.js";

/** Rows of a difference shown per failing cell; the rest are counted. */
const SHOWN_ROWS = 10;

const MARK = { pass: "pass", fail: "FAIL", error: "ERROR" } as const;

/**
 * The report as plain text: a table of query × database (pass / FAIL / ERROR),
 * then, for each failing cell, the rows that differ from the reference.
 */
export function renderCheckTable(report: CheckReport): string {
  const header = ["query", ...DB_KINDS];
  const body = report.queries.map((q) => [q.name, ...DB_KINDS.map((k) => MARK[q.cells[k].status])]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((r) => (r[i] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)];

  const details: string[] = [];
  for (const q of report.queries) {
    for (const kind of DB_KINDS) {
      const cell = q.cells[kind];
      if (cell.status === "error") details.push(`${q.name} on ${kind}: error: ${cell.error}`);
      if (cell.status !== "fail" || !cell.diff) continue;
      const against =
        q.reference === "expected"
          ? "expected/"
          : q.reference === "majority"
            ? "the other databases"
            : "another database (no two agree)";
      const { missing, extra, reordered } = cell.diff;
      if (reordered) {
        details.push(`${q.name} on ${kind}: same rows as ${against} but in another order`);
        continue;
      }
      details.push(`${q.name} on ${kind}: differs from ${against} (- missing here, + not there):`);
      const rows = [...missing.map((r) => `  - ${r}`), ...extra.map((r) => `  + ${r}`)];
      details.push(...rows.slice(0, SHOWN_ROWS));
      if (rows.length > SHOWN_ROWS) details.push(`  … and ${rows.length - SHOWN_ROWS} more`);
    }
  }
  const failing = report.queries
    .filter((q) => DB_KINDS.some((k) => q.cells[k].status !== "pass"))
    .map((q) => q.name);
  const summary = report.ok
    ? `${report.queries.length === 1 ? "The 1 query agrees" : `All ${report.queries.length} queries agree`} on all three databases (${report.reason}).`
    : `Failed: ${failing.join(", ")} (${report.reason}).`;
  return [...out, "", ...(details.length > 0 ? [...details, ""] : []), summary].join("\n");
}
