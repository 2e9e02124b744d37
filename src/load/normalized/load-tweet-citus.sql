-- tweetload_load_group on Citus (pg_normalized laid out by services/citus/pg_normalized.sql):
-- what one tweet writes to ONE shard group, called once per shard group the tweet touches
-- (src/load/normalized/shard-groups.ts groups the rows by Citus's hash; a plain server keeps
-- using load-tweet.sql). The function is distributed by g_key, co-located with tweets, so
-- Citus hands each call to the worker that holds g_key's shard group: one round trip and a
-- one-phase commit per group, never a two-phase commit.
--
-- On the worker it writes the group's shard tables directly, in one statement: every
-- statement on a distributed table costs a Citus plan even when its shard is local
-- (measured on a worker: 2,280 single-row upserts/s through the distributed table, 10,400/s
-- on the shard), and a tweet writes about ten rows. The shards are the ones Citus's own
-- metadata names for g_key (shard_name, get_shard_id_for_distribution_column), which the
-- call was routed by; called anywhere else (e.g. inside a transaction block, where Citus
-- does not delegate) the shard tables do not exist and the call fails, it never writes
-- to the wrong place. Moving or splitting shards while a per-tweet load runs is not
-- supported (docs/citus.md).
--
-- The tweet's own group is called last: its users and urls are committed before it. When
-- the tweet is already present its group writes nothing and returns false; the other
-- groups' upserts are idempotent (urls: DO NOTHING; users: the snapshot rule keeps the
-- greatest snapshot, which that tweet's first load already wrote).
--
-- Locks are taken in one order - the tweet, urls by id, users by id - inside one shard
-- group, and no transaction spans two groups, so concurrent calls never deadlock.
-- url ids are tweetload_url_id(url) (the md5 prefix), computed by the client.
CREATE OR REPLACE FUNCTION tweetload_load_group(
  g_key bigint,
  t_here boolean,
  p_id bigint,
  p_user_id bigint,
  p_created_at timestamptz,
  p_in_reply_to_status_id bigint,
  p_in_reply_to_user_id bigint,
  p_quoted_status_id bigint,
  p_retweet_count integer,
  p_favorite_count integer,
  p_quote_count integer,
  p_withheld_copyright boolean,
  p_withheld_in_countries varchar(2)[],
  p_source text,
  p_text text,
  p_country_code varchar(2),
  p_state_code varchar(2),
  p_lang text,
  p_place_name text,
  p_geo text,
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
    INTO shard
    FROM unnest(ARRAY['tweets', 'urls', 'users', 'tweet_urls', 'tweet_mentions', 'tweet_tags',
                      'tweet_media']) WITH ORDINALITY AS x (t, o);
  -- Prepared once per worker session and shard group (Citus keeps its connections to the
  -- workers open), so later calls skip parsing and planning: the statement's generic plan
  -- reads its arrays whatever their sizes, as load-tweet.sql's do on a plain server.
  stmt_name := 'tweetload_group_' || shard[1];
  IF NOT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = stmt_name) THEN
    EXECUTE format($prepare$PREPARE %I (bigint, boolean, bigint, bigint, timestamptz, bigint,
       bigint, bigint, integer, integer, integer, boolean, varchar(2)[], text, text,
       varchar(2), varchar(2), text, text, text, boolean, timestamptz, bigint, integer,
       integer, integer, integer, boolean, boolean, text, text, text, text, varchar(2)[],
       bigint[], text[], text[], bigint[], text[], bigint[], bigint[], text[], bigint[], text[])
     AS %s$prepare$, stmt_name, format($sql$
    WITH tweet AS (
      INSERT INTO %1$s (id_tweets, id_users, created_at, in_reply_to_status_id,
                        in_reply_to_user_id, quoted_status_id, retweet_count, favorite_count,
                        quote_count, withheld_copyright, withheld_in_countries, source, text,
                        country_code, state_code, lang, place_name, geo)
      SELECT $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20
       WHERE $2
      ON CONFLICT (id_tweets) DO NOTHING
      RETURNING id_tweets
    ), go AS (
      SELECT NOT $2 OR EXISTS (SELECT 1 FROM tweet) AS go
    ), new_urls AS (
      INSERT INTO %2$s (id_urls, url)
      SELECT u.id, u.url FROM go, unnest($38::bigint[], $39::text[]) AS u (id, url)
       WHERE go.go ORDER BY u.id
      ON CONFLICT (id_urls) DO NOTHING
    ), new_users AS (
      -- The snapshot rule of load-tweet.sql (docs/contract/tweet-to-rows.md).
      INSERT INTO %3$s AS users (id_users, created_at, updated_at, id_urls, friends_count,
                         listed_count, favourites_count, statuses_count, protected, verified,
                         screen_name, name, location, description, withheld_in_countries,
                         snapshot_tweet_id, hydrated)
      SELECT * FROM (
        SELECT $4, $22, $5, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34, $3, true
         WHERE $21
        UNION ALL
        SELECT o.id, NULL::timestamptz, $5, NULL::bigint, NULL::integer, NULL::integer,
               NULL::integer, NULL::integer, NULL::boolean, NULL::boolean, o.screen_name,
               o.name, NULL::text, NULL::text, NULL::varchar(2)[], $3, false
          FROM unnest($35::bigint[], $36::text[], $37::text[]) AS o (id, screen_name, name)
      ) AS rows (id_users)
      WHERE (SELECT go FROM go)
      ORDER BY id_users
      ON CONFLICT (id_users) DO UPDATE
        SET created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
            id_urls = EXCLUDED.id_urls, friends_count = EXCLUDED.friends_count,
            listed_count = EXCLUDED.listed_count, favourites_count = EXCLUDED.favourites_count,
            statuses_count = EXCLUDED.statuses_count, protected = EXCLUDED.protected,
            verified = EXCLUDED.verified, screen_name = EXCLUDED.screen_name,
            name = EXCLUDED.name, location = EXCLUDED.location,
            description = EXCLUDED.description,
            withheld_in_countries = EXCLUDED.withheld_in_countries,
            snapshot_tweet_id = EXCLUDED.snapshot_tweet_id, hydrated = EXCLUDED.hydrated
        WHERE (EXCLUDED.hydrated, coalesce(EXCLUDED.updated_at, '-infinity'),
               EXCLUDED.snapshot_tweet_id)
            > (coalesce(users.hydrated, false), coalesce(users.updated_at, '-infinity'),
               coalesce(users.snapshot_tweet_id, -9223372036854775808))
    ), new_links AS (
      INSERT INTO %4$s (id_tweets, id_urls) SELECT tweet.id_tweets, u FROM tweet, unnest($40::bigint[]) AS u
    ), new_mentions AS (
      INSERT INTO %5$s (id_tweets, id_users) SELECT tweet.id_tweets, m FROM tweet, unnest($41::bigint[]) AS m
    ), new_tags AS (
      INSERT INTO %6$s (id_tweets, tag) SELECT tweet.id_tweets, t FROM tweet, unnest($42::text[]) AS t
    ), new_media AS (
      INSERT INTO %7$s (id_tweets, id_urls, type)
      SELECT tweet.id_tweets, m.id, m.type
        FROM tweet, unnest($43::bigint[], $44::text[]) AS m (id, type)
    )
    SELECT count(*) FROM tweet
    $sql$, VARIADIC shard));
  END IF;
  -- EXECUTE takes no parameters from a plpgsql USING: the values go as literals, which
  -- the prepared statement's parameter types read back exactly.
  EXECUTE format('EXECUTE %I (' || rtrim(repeat('%L, ', 44), ', ') || ')', stmt_name,
                 g_key, t_here, p_id, p_user_id, p_created_at, p_in_reply_to_status_id,
                 p_in_reply_to_user_id, p_quoted_status_id, p_retweet_count, p_favorite_count,
                 p_quote_count, p_withheld_copyright, p_withheld_in_countries, p_source, p_text,
                 p_country_code, p_state_code, p_lang, p_place_name, p_geo,
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
  'tweetload_load_group(bigint, boolean, bigint, bigint, timestamptz, bigint, bigint, bigint,
     integer, integer, integer, boolean, varchar(2)[], text, text, varchar(2), varchar(2),
     text, text, text, boolean, timestamptz, bigint, integer, integer, integer, integer,
     boolean, boolean, text, text, text, text, varchar(2)[], bigint[], text[], text[],
     bigint[], text[], bigint[], bigint[], text[], bigint[], text[])',
  distribution_arg_name => 'g_key', colocate_with => 'tweets');
