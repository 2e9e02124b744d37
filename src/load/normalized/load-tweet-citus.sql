-- tweetload.shard_here, and tweetload_load_group, the per-tweet loader's way through the
-- coordinator (pg_normalized laid out by services/citus/pg_normalized.sql). Created by the
-- loader's setup, which puts the text of load-group-citus.sql in place of the marker in the
-- function below (src/load/normalized/citus-sql.ts), so the statement has one text.

-- Whether shard `shard` is on this node, asked under the lock on its placement that Citus's
-- own writes take (ShareLock on the shard's distribution metadata): a shard move or split
-- takes that lock in ExclusiveLock mode on every node before it switches the placement, so
-- it waits for the transaction that asked, or that transaction waits for it and then sees
-- where the shard went. Raises SQLSTATE TL001 when the shard is not (or no longer) here;
-- the caller then reads the placement again.
CREATE OR REPLACE FUNCTION tweetload.shard_here(shard bigint) RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM lock_shard_metadata(5, ARRAY[shard]);
  IF NOT EXISTS (SELECT 1 FROM pg_dist_placement AS p JOIN pg_dist_local_group AS l USING (groupid)
                  WHERE p.shardid = shard) THEN
    RAISE EXCEPTION 'shard % is not on this node: it was moved or split', shard
      USING ERRCODE = 'TL001';
  END IF;
  RETURN true;
END
$fn$;
SELECT create_distributed_function('tweetload.shard_here(bigint)');

-- tweetload_load_group: what one tweet writes to ONE shard group, for a call that goes
-- through the coordinator (a node the client cannot reach). The function is distributed by
-- g_key, co-located with tweets, so Citus hands each call to the worker that holds g_key's
-- shard group: one round trip and a one-phase commit per group, never a two-phase commit.
-- On the worker it runs the group statement on the shard tables Citus's own metadata names
-- for g_key (shard_name, get_shard_id_for_distribution_column); called anywhere else the
-- statement's shard check fails, it never writes to the wrong place.
--
-- The tweet's own group is called last: its users and urls are committed before it.
-- url ids are tweetload_url_id(url) (the md5 prefix), computed by the client.
CREATE OR REPLACE FUNCTION tweetload_load_group(
  g_key bigint,
  t_here boolean,
  -- the tweet's columns (markers that src/load/tweet-sql.ts fills)
  @TWEET_PARAMS@,
  -- the author (hydrated), when its row is in this group
  a_here boolean,
  a_created_at timestamptz,
  a_id_urls bigint,
  a_friends_count integer,
  a_listed_count integer,
  a_favourites_count integer,
  a_statuses_count integer,
  a_protected boolean,
  a_verified boolean,
  a_screen_name text,
  a_name text,
  a_location text,
  a_description text,
  a_withheld_in_countries varchar(2)[],
  -- unhydrated users (reply target, mentions) of this group
  u_ids bigint[],
  u_screen_names text[],
  u_names text[],
  -- urls rows of this group, ascending by id
  g_url_ids bigint[],
  g_urls text[],
  -- the tweet's link rows (empty unless t_here)
  l_url_ids bigint[],
  l_mentions bigint[],
  l_tags text[],
  l_media_url_ids bigint[],
  l_media_types text[]
) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  shard text[];
  stmt_name text;
  inserted integer;
BEGIN
  SELECT array_agg(shard_name(t::regclass, get_shard_id_for_distribution_column(t, g_key))
                   ORDER BY o)
           || get_shard_id_for_distribution_column('tweets', g_key)::text
    INTO shard
    FROM unnest(ARRAY['tweets', 'urls', 'users', 'tweet_urls', 'tweet_mentions', 'tweet_tags',
                      'tweet_media']) WITH ORDINALITY AS x (t, o);
  -- Prepared once per worker session and shard group (Citus keeps its connections to the
  -- workers open), so later calls skip parsing and planning: the statement's generic plan
  -- reads its arrays whatever their sizes, as load-tweet.sql's do on a plain server.
  stmt_name := 'tweetload_group_' || shard[1];
  IF NOT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = stmt_name) THEN
    EXECUTE format($prepare$PREPARE %I (bigint, boolean, @TWEET_TYPES@,
       boolean, timestamptz, bigint, integer, integer, integer, integer, boolean, boolean,
       text, text, text, text, varchar(2)[], bigint[], text[], text[], bigint[], text[],
       bigint[], bigint[], text[], bigint[], text[])
     AS %s$prepare$, stmt_name, format($sql$
    @GROUP_STATEMENT@
    $sql$, VARIADIC shard));
  END IF;
  -- EXECUTE takes no parameters from a plpgsql USING: the values go as literals, which
  -- the prepared statement's parameter types read back exactly.
  -- The count: the group statement's parameters, filled in by src/load/normalized/citus-sql.ts.
  EXECUTE format('EXECUTE %I (' || rtrim(repeat('%L, ', @GROUP_ARG_COUNT@), ', ') || ')', stmt_name,
                 g_key, t_here, @TWEET_ARGS@,
                 a_here, a_created_at, a_id_urls, a_friends_count, a_listed_count,
                 a_favourites_count, a_statuses_count, a_protected, a_verified, a_screen_name,
                 a_name, a_location, a_description, a_withheld_in_countries,
                 u_ids, u_screen_names, u_names, g_url_ids, g_urls,
                 l_url_ids, l_mentions, l_tags, l_media_url_ids, l_media_types)
  INTO inserted;
  RETURN inserted > 0;
END
$fn$ SET plan_cache_mode = force_generic_plan;

-- Calls are handed to the worker holding g_key's shard group.
SELECT create_distributed_function(
  'tweetload_load_group(bigint, boolean, @TWEET_TYPES@, boolean, timestamptz, bigint,
     integer, integer, integer, integer, boolean, boolean, text, text, text, text,
     varchar(2)[], bigint[], text[], text[], bigint[], text[], bigint[], bigint[], text[],
     bigint[], text[])',
  distribution_arg_name => 'g_key', colocate_with => 'tweets');
