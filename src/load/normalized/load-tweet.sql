-- tweetload_load_tweet: everything one tweet adds to pg_normalized, in one call, so that
-- one tweet costs one transaction (the call runs in autocommit) and two statements: every
-- statement costs executor set-up, a snapshot and its foreign-key checks, so the tweet,
-- its users and its keys go in one statement. The urls go first in a statement of their
-- own so that the second one's snapshot sees every url id it looks up, including urls a
-- concurrent call inserted and committed while this one waited for them.
--
-- Locks are taken in one global order - urls by url, then the tweet, then users by id -
-- so two concurrent calls wait for each other rather than deadlock (the client still
-- retries 40P01/40001). A tweet already present is skipped: returns false. The key arrays
-- (urls, mentions, tags, media) hold distinct values, as the transform makes them.
--
-- The caller sets plan_cache_mode = force_generic_plan: custom plans would be made anew on
-- every call, and the generic ones look urls up by index whatever the table's size.
--
-- The tweet's columns and arguments are filled in from the table's description
-- (markers that src/load/tweet-sql.ts fills) when the loader reads this file.
--
-- p_geo is WKT text; in a PostGIS database PostGIS's text-to-geometry cast reads it
-- (EWKT with SRID=4326), in text mode it is stored as is.
CREATE OR REPLACE FUNCTION tweetload_load_tweet(
  -- the tweet's columns, in the table's order: p_id, p_user_id, p_created_at, ...
  @TWEET_PARAMS@,
  -- the author (hydrated)
  a_created_at timestamptz,
  a_url text,
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
  -- unhydrated users (reply target, mentions), not including the author
  u_ids bigint[],
  u_screen_names text[],
  u_names text[],
  -- the tweet's keys
  p_urls text[],
  p_mentions bigint[],
  p_tags text[],
  p_media_urls text[],
  p_media_types text[]
) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  inserted integer;
BEGIN
  IF cardinality(p_urls) > 0 OR cardinality(p_media_urls) > 0 OR a_url IS NOT NULL THEN
    INSERT INTO urls (url)
    SELECT u FROM unnest(p_urls || p_media_urls || a_url) AS u
     WHERE u IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tweets WHERE id_tweets = p_id)
     ORDER BY u
    ON CONFLICT (url) DO NOTHING;
  END IF;

  WITH tweet AS (
    INSERT INTO tweets (@TWEET_COLUMNS@)
    VALUES (@TWEET_ARGS@)
    ON CONFLICT (id_tweets) DO NOTHING
    RETURNING id_tweets
  ), new_users AS (
    -- Each user row keeps the snapshot of the user's latest tweet (docs/contract/
    -- tweet-to-rows.md): a row is replaced only by one of greater tweetload_snapshot_rank
    -- (services/user-snapshot.sql). The greatest of a set does not depend on the order its members
    -- arrive in, so neither does the row: not on file order, --jobs or pipelining. Under
    -- READ COMMITTED a conflicting row locked by a concurrent call is waited for, and the
    -- WHERE is then checked against its committed version. The update changes no key
    -- column, so it takes FOR NO KEY UPDATE, which the KEY SHARE locks of other calls'
    -- foreign-key checks do not wait for.
    INSERT INTO users (id_users, created_at, updated_at, id_urls, friends_count, listed_count,
                       favourites_count, statuses_count, protected, verified, screen_name, name,
                       location, description, withheld_in_countries, snapshot_tweet_id,
                       hydrated)
    SELECT * FROM (
      SELECT p_user_id, a_created_at, p_created_at,
             (SELECT id_urls FROM urls WHERE url = a_url), a_friends_count, a_listed_count,
             a_favourites_count, a_statuses_count, a_protected, a_verified, a_screen_name,
             a_name, a_location, a_description, a_withheld_in_countries, p_id, true
      UNION ALL
      SELECT u.id, NULL, p_created_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
             u.screen_name, u.name, NULL, NULL, NULL, p_id, false
        FROM unnest(u_ids, u_screen_names, u_names) AS u (id, screen_name, name)
    ) AS rows (id_users)
    WHERE EXISTS (SELECT 1 FROM tweet)
    ORDER BY id_users
    @USERS_NEWER_SNAPSHOT@
  ), new_urls AS (
    INSERT INTO tweet_urls (id_tweets, id_urls)
    SELECT tweet.id_tweets, (SELECT id_urls FROM urls WHERE url = u) FROM tweet, unnest(p_urls) AS u
  ), new_mentions AS (
    INSERT INTO tweet_mentions (id_tweets, id_users)
    SELECT tweet.id_tweets, m FROM tweet, unnest(p_mentions) AS m
  ), new_tags AS (
    INSERT INTO tweet_tags (id_tweets, tag)
    SELECT tweet.id_tweets, t FROM tweet, unnest(p_tags) AS t
  ), new_media AS (
    INSERT INTO tweet_media (id_tweets, id_urls, type)
    SELECT tweet.id_tweets, (SELECT id_urls FROM urls WHERE url = m.url), m.type
      FROM tweet, unnest(p_media_urls, p_media_types) AS m (url, type)
  )
  SELECT count(*) INTO inserted FROM tweet;
  RETURN inserted > 0;
END
$fn$;
