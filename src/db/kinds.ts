/** The three databases every loader, check and bench run works on. */
export const DB_KINDS = ["denormalized", "normalized", "normalized_batch"] as const;
export type DbKind = (typeof DB_KINDS)[number];

/** The database name of a kind, the same on every server: `pg_normalized` etc. */
export const databaseName = (kind: DbKind) => `pg_${kind}` as const;

/** One connection URL per database. */
export type Targets = Record<DbKind, string>;
