import type { ChunkRow } from "../load/journal-chunks.js";
import { addNotices, type NoticeCounts } from "../transform/notices.js";

/** What one member of a tar put in, as the journal's chunk rows hold it (`--json`). */
export interface MemberReport {
  member: string;
  tweets: number;
  rejects: number;
  notices: NoticeCounts;
  /** Why the member could not be read to its end (its reject says which lines were lost). */
  damaged?: string;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One report per member of the rows of a file's units (a member cut into chunks has
 * several), in name order; `damaged` names the members found damaged by this run.
 */
export function memberReports(
  rows: readonly ChunkRow[],
  damaged: ReadonlyMap<string, string> = new Map(),
): MemberReport[] {
  const members = new Map<string, MemberReport>();
  for (const row of rows) {
    const m = members.get(row.member) ?? { member: row.member, tweets: 0, rejects: 0, notices: {} };
    m.tweets += row.tweets;
    m.rejects += row.rejects;
    m.notices = addNotices(m.notices, row.notices);
    members.set(row.member, m);
  }
  for (const [member, reason] of damaged) {
    const m = members.get(member);
    if (m) m.damaged = reason;
  }
  return [...members.values()].sort((a, b) => byName(a.member, b.member));
}
