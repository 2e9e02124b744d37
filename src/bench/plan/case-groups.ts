import { UserError } from "../../errors.js";
import { CASE_GROUPS, type CaseGroupName } from "../cases/registry.js";

/**
 * Parses `--cases one-file,v2` into the groups of cases/registry.ts, in the registry's
 * order; `all` (or nothing) means every group.
 */
export function parseCaseGroups(text: string | undefined): CaseGroupName[] {
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
