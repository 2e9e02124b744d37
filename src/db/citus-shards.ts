/**
 * Shards per distributed table when `--shards` is not given. Measured on a coordinator and
 * two workers (README, "Citus"): every COPY or multi-row statement opens a connection to
 * each shard it touches, so on few workers more shards only add round trips, while
 * fewer than a few per worker leave a worker's cores idle and make rebalancing coarse.
 */
export const DEFAULT_SHARDS = 4;

/** A shard count as `--shards` accepts it: a whole number from 1 to 1024. */
export function checkShardCount(shards: number): number {
  if (!Number.isInteger(shards) || shards < 1 || shards > 1024) {
    throw new RangeError(
      `--shards must be a whole number from 1 to 1024 (got ${shards}); the default is ${DEFAULT_SHARDS}`,
    );
  }
  return shards;
}
