/** Number formatting shared by the report renderers: fixed, locale-free, so reports diff cleanly. */

/** `12.3 s`, `0.84 s`, `125 s`: three significant figures for small values, whole seconds past 100. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds >= 100) return `${Math.round(seconds)} s`;
  if (seconds >= 10) return `${seconds.toFixed(1)} s`;
  return `${seconds.toFixed(2)} s`;
}

/** Integer with thousands separators: `12,345`. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return "—";
  const digits = Math.round(Math.abs(value)).toString();
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return value < 0 ? `-${grouped}` : grouped;
}

/** `a`'s wall time over `b`'s (medians), when both were measured. */
export function timeRatio(
  a: { wallSeconds: number } | undefined,
  b: { wallSeconds: number } | undefined,
): number | undefined {
  return a && b ? a.wallSeconds / b.wallSeconds : undefined;
}

/** A time ratio: `1.08×`; a dash where it was not measured. */
export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return "—";
  return `${ratio.toFixed(2)}×`;
}

/** Megabytes with no decimals: `143 MB`. */
export function formatMB(mb: number | undefined): string {
  return mb === undefined || !Number.isFinite(mb) ? "—" : `${Math.round(mb)} MB`;
}

/** How the floor rows name their tool: `psql \copy`, or `COPY from node` where psql was missing. */
export function copyTool(report: { floorTool?: string }): string {
  return report.floorTool === "node" ? "COPY from node" : "psql \\copy";
}

/** Escapes the characters that would break a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * A GitHub-flavoured Markdown table; the first column left-aligned, the rest
 * right-aligned (numbers) except the columns listed in `leftAligned`.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  leftAligned: readonly number[] = [0],
): string {
  const align = header.map((_, i) => (leftAligned.includes(i) ? ":---" : "---:"));
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(align), ...rows.map(line)].join("\n");
}
