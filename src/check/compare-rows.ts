/** How one answer differs from a reference answer. */
export interface RowDiff {
  /** Rows of the reference that the answer lacks. */
  missing: string[];
  /** Rows of the answer that the reference lacks. */
  extra: string[];
  /** Same rows, different order (the queries' ORDER BY is total, so this is a failure too). */
  reordered: boolean;
}

export const sameRows = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((row, i) => row === b[i]);

/** Multiset difference of two answers, for showing what differs. */
export function diffRows(answer: readonly string[], reference: readonly string[]): RowDiff {
  const counts = new Map<string, number>();
  for (const row of reference) counts.set(row, (counts.get(row) ?? 0) + 1);
  const extra: string[] = [];
  for (const row of answer) {
    const n = counts.get(row) ?? 0;
    if (n > 0) counts.set(row, n - 1);
    else extra.push(row);
  }
  const missing: string[] = [];
  for (const row of reference) {
    const n = counts.get(row) ?? 0;
    if (n > 0) {
      missing.push(row);
      counts.set(row, n - 1);
    }
  }
  return {
    missing,
    extra,
    reordered: missing.length === 0 && extra.length === 0 && !sameRows(answer, reference),
  };
}
