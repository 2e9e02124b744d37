/** The three databases every loader, check and bench run works on. */
export const DB_KINDS = ["denormalized", "normalized", "normalized_batch"] as const;
export type DbKind = (typeof DB_KINDS)[number];

/** What a `--db` option holds: one kind or `all`, or a list when the flag is repeated. */
export type DbChoice = DbKind | "all";

/**
 * The databases a `--db` value names, in the order given and each once: `all` stands for
 * the three, and a repeated flag (`--db normalized --db denormalized`) for each value.
 */
export function kindsOf(choice: DbChoice | readonly DbChoice[]): DbKind[] {
  const given = typeof choice === "string" ? [choice] : choice;
  return [...new Set(given.flatMap((c) => (c === "all" ? [...DB_KINDS] : [c])))];
}

/** The database name of a kind, the same on every server: `pg_normalized` etc. */
export const databaseName = (kind: DbKind) => `pg_${kind}` as const;

/** One connection URL per database. */
export type Targets = Record<DbKind, string>;
