import { UserError } from "../errors.js";

/**
 * The groups of cases `--cases` chooses from. `floor` and `files` are the timing
 * table's own (floors, every loader on the N-file set); the others are the
 * comparisons of issues 16 and 17, all on the main (largest) set.
 */
export const CASE_GROUPS = [
  "floor",
  "files",
  "one-file",
  "pipeline",
  "v2",
  "commit-floor",
] as const;

export type CaseGroup = (typeof CASE_GROUPS)[number];

/** Parses `--cases one-file,v2`; `all` (or nothing) means every group. */
export function parseCaseGroups(text: string | undefined): CaseGroup[] {
  if (text === undefined || text.trim() === "all") return [...CASE_GROUPS];
  const wanted = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const unknown = wanted.filter((w) => !(CASE_GROUPS as readonly string[]).includes(w));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new UserError(
      `--cases takes a comma-separated list of ${CASE_GROUPS.join(", ")} (or all); unknown: ${unknown.join(", ") || "(empty)"}.`,
      2,
    );
  }
  return CASE_GROUPS.filter((g) => wanted.includes(g));
}
