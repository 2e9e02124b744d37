/**
 * Shards per distributed table when `--shards` is not given: one per active worker.
 * Measured on a coordinator and two workers loading 10 x 2,000 generated tweets into
 * normalized_batch with `-j 1`: 1 shard 2.6 s, 2 shards 1.8 s, 4 shards 3.1 s, 8 shards
 * 5.9 s, 16 shards 16.3 s. Every COPY and every multi-row statement opens a connection to
 * each shard it writes and commits on each, so shards beyond one per worker only add round
 * trips; fewer leave a worker idle.
 */
export const SHARDS_HELP =
  "Shards per distributed table with --citus (default: one per worker, measured fastest; more only helps to rebalance onto workers added later)";

/** A shard count as `--shards` accepts it: a whole number from 1 to 1024. */
export function checkShardCount(shards: number): number {
  if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
    throw new RangeError(
      `--shards must be a whole number from 1 to 1024 (got ${shards}); leave it out for one shard per worker`,
    );
  }
  return shards;
}
