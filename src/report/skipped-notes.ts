import type { SkippedMember } from "../input/types.js";
import type { FileReport } from "../run/types.js";

/** Names shown per reason under the table; `--json` lists them all. */
const SHOWN = 3;

/**
 * One line per archive and reason for the zip members passed over as not tweet data,
 * once per archive however many databases it went to.
 */
export function skippedMemberNotes(files: readonly FileReport[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    if (!f.skippedMembers || seen.has(f.file)) continue;
    seen.add(f.file);
    const byReason = new Map<string, SkippedMember[]>();
    for (const m of f.skippedMembers)
      byReason.set(m.reason, [...(byReason.get(m.reason) ?? []), m]);
    for (const [reason, members] of byReason) {
      const names = members.slice(0, SHOWN).map((m) => m.name);
      const more = members.length > SHOWN ? `, and ${members.length - SHOWN} more` : "";
      const count = `${members.length} member${members.length === 1 ? "" : "s"}`;
      notes.push(`passed over ${count} of ${f.file}: ${names.join(", ")}${more}: ${reason}`);
    }
  }
  return notes;
}

/**
 * One line per damaged tar member (`members[].damaged`), once per archive however many
 * databases: which member and why, so that a table user sees it named, not just counted.
 */
export function damagedMemberNotes(files: readonly FileReport[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    for (const m of f.members ?? []) {
      const key = `${f.file}\n${m.member}`;
      if (m.damaged === undefined || seen.has(key)) continue;
      seen.add(key);
      notes.push(`damaged member ${m.member} of ${f.file}: ${m.damaged}`);
    }
  }
  return notes;
}
