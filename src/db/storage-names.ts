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
 * so): inline answered the ten checker queries fastest on PostgreSQL 15 and the embedded 17
 * and loaded as fast as pglz, for about twice the bytes (docs/timing.md, "Storage of
 * pg_denormalized"). A slow query once blamed on it, with 20,000 copies of one tweet, was
 * JIT compilation, the same in every storage (rows under 2 KB are stored alike in all).
 */
export const DEFAULT_STORAGE: Storage = "inline";
