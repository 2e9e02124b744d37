/**
 * Where a user row came from, for the rule "Users: which snapshot" (docs/contract/
 * tweet-to-rows.md): a hydrated row
 * (the tweet's author) beats an unhydrated one (a reply target or mention); then the later
 * updated_at (the naming tweet's created_at; a missing one is the earliest); then the
 * greater tweet id. The SQL of both normalized loaders, the denormalized `users` view and
 * sql/10_* rank alike.
 */
export interface SnapshotRank {
  hydrated: boolean;
  /** The naming tweet's created_at as PostgreSQL will read it (ISO 8601), or null. */
  updatedAt: string | null;
  /** The naming tweet's id, decimal digits. */
  tweetId: string;
}

/** Milliseconds since the epoch; a missing or unreadable time ranks below every other. */
const timeOf = (value: string | null): number => {
  const ms = value === null ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};

/** Whether snapshot `a` replaces `b` (strictly greater: an equal rank keeps the row held). */
export function outranks(a: SnapshotRank, b: SnapshotRank): boolean {
  if (a.hydrated !== b.hydrated) return a.hydrated;
  const ta = timeOf(a.updatedAt);
  const tb = timeOf(b.updatedAt);
  if (ta !== tb) return ta > tb;
  return BigInt(a.tweetId) > BigInt(b.tweetId);
}
