-- The user-snapshot rule (docs/contract/tweet-to-rows.md, "Users: which snapshot"), written
-- once for every database: applied after services/journal.sql and before each
-- services/pg_<kind>/schema.sql by `tweetload db up` and `db reset` (src/db/schema.ts),
-- and by the Docker images (16_user-snapshot.sql). Idempotent.
--
-- tweetload_snapshot_rank(hydrated, updated_at, snapshot_tweet_id) is a user row's rank:
-- hydrated (the tweet's author) above unhydrated (a reply target or mention), then the
-- later updated_at (a missing one is the earliest), then the greater tweet id; a row from
-- before these columns existed (NULLs) ranks lowest. Of a user's rows the greatest rank
-- wins: every loader replaces a row held only by one whose rank is greater (ON CONFLICT
-- ... WHERE rank(EXCLUDED) > rank(held)), and the views and queries that pick one row per
-- user sort by it, greatest first.
--
-- A composite, compared field by field in its order. The function is one SQL expression,
-- so the planner inlines it: a sort by its fields, (rank).hydrated DESC, ... , is a sort by
-- the three coalesced columns (a sort by the composite as a whole compares records, ~4x
-- slower on 200,000 rows).
--
-- Made once, not replaced: Citus refuses CREATE OR REPLACE of a function that returns a
-- composite once a view over a distributed table reads it ("circularly depends itself"),
-- as pg_denormalized's users view does. `tweetload db reset` drops the function with the
-- views, so a changed rule reaches a database through a reset.
DO $$
BEGIN
  IF to_regtype('tweetload_snapshot_rank') IS NULL THEN
    CREATE TYPE tweetload_snapshot_rank AS (
      hydrated BOOLEAN,
      updated_at TIMESTAMPTZ,
      snapshot_tweet_id BIGINT
    );
  END IF;
  IF to_regprocedure('tweetload_snapshot_rank(boolean, timestamptz, bigint)') IS NULL THEN
    CREATE FUNCTION tweetload_snapshot_rank(
      hydrated BOOLEAN, updated_at TIMESTAMPTZ, snapshot_tweet_id BIGINT
    ) RETURNS tweetload_snapshot_rank
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
      SELECT ROW(coalesce(hydrated, false), coalesce(updated_at, '-infinity'),
                 coalesce(snapshot_tweet_id, -9223372036854775808))::tweetload_snapshot_rank
    $fn$;
  END IF;
END
$$;
