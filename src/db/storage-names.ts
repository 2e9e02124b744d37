// The names alone, without a database client: the command line lists them in its help.

/**
 * How pg_denormalized stores each tweet's document (`db reset --storage`), measured in
 * docs/timing.md ("Storage of pg_denormalized"): pglz and lz4 compress every row over
 * about 2 KB (and lz4 needs a server built with it); inline keeps rows up to 8 KB
 * uncompressed in the table's pages.
 */
export const STORAGES = ["inline", "pglz", "lz4"] as const;
export type Storage = (typeof STORAGES)[number];

/**
 * What a new pg_denormalized gets (services/pg_denormalized/schema.sql creates its table
 * so). On 20,027 generated tweets inline answered the ten checker queries in 0.78× pglz's
 * time on PostgreSQL 15 and 0.24× on the embedded 17 and loaded in 0.98× and 1.06×, for
 * about twice the bytes (docs/timing.md, "Storage of pg_denormalized"); but with inline,
 * 20,000 copies of one tweet took pg_denormalized's tag views past the 8 s bound of
 * repeated-tweets.test.ts, which pglz meets: pglz stays the default until that is understood.
 */
export const DEFAULT_STORAGE: Storage = "pglz";
