/**
 * Stream notices (docs/contract/notices-and-accounting.md): what the streaming API writes
 * between tweets.
 * An object whose only top-level key is one of these is a notice of that kind: not a
 * tweet, not bad input. Every loader skips it and counts it per kind.
 */
export const NOTICE_KINDS = [
  "delete",
  "scrub_geo",
  "limit",
  "status_withheld",
  "user_withheld",
  "warning",
  "disconnect",
  "event",
  "friends",
] as const;

export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Notices of one file, per kind; kinds that did not occur are absent. */
export type NoticeCounts = Partial<Record<NoticeKind, number>>;

const KINDS: ReadonlySet<string> = new Set(NOTICE_KINDS);

/** The notice kind of a parsed JSON object, or null when it is not a notice. */
export function noticeKindOf(value: Record<string, unknown>): NoticeKind | null {
  let kind: string | null = null;
  for (const key in value) {
    if (kind !== null) return null; // a second key: not a notice
    kind = key;
  }
  return kind !== null && KINDS.has(kind) ? (kind as NoticeKind) : null;
}

/** Adds one notice of `kind` to `counts`. */
export function countNotice(counts: NoticeCounts, kind: NoticeKind): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}

/** All notices in `counts`. */
export const noticeTotal = (counts: NoticeCounts | undefined): number =>
  Object.values(counts ?? {}).reduce((n, c) => n + (c ?? 0), 0);

/** `a` plus `b`, per kind (for totals over files). */
export function addNotices(a: NoticeCounts, b: NoticeCounts | undefined): NoticeCounts {
  const out: NoticeCounts = { ...a };
  for (const [kind, n] of Object.entries(b ?? {}) as [NoticeKind, number][]) {
    out[kind] = (out[kind] ?? 0) + n;
  }
  return out;
}
