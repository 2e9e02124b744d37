-- tweetload_load_tweet on Citus (pg_normalized laid out by services/citus/pg_normalized.sql):
-- the same arguments and result as load-tweet.sql, which a plain server keeps using. Chosen
-- by the loader when tweets is a distributed table.
--
-- Differences, each forced by the distributed layout:
-- - A url's id is tweetload_url_id(url), a hash, so urls are inserted and link rows made
--   without looking an id up on another shard.
-- - No data-modifying CTEs: Citus plans each CTE as a step of its own, and the steps
--   cannot see each other's rows.
-- - The tweet goes first, so a tweet loaded before costs one statement; then urls, users
--   and the links. Locks are still taken in one order (the tweet, urls by id, users by id),
--   so two calls wait for each other rather than deadlock.
-- - Single-row statements with the distribution key given, each routed to one shard.
-- - The function runs on the coordinator. Handing each call to the worker of the tweet's
--   shard (create_distributed_function by p_id, co-located with tweets) was measured 8x
--   slower on 600 tweets (22.7 s against 2.7 s): the worker then runs a distributed
--   transaction of its own to reach the users and urls on other nodes.
CREATE OR REPLACE FUNCTION tweetload_load_tweet(
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
  u text;
  m bigint;
  i integer;
  usr record;
BEGIN
  INSERT INTO tweets (id_tweets, id_users, created_at, in_reply_to_status_id,
                      in_reply_to_user_id, quoted_status_id, retweet_count, favorite_count,
                      quote_count, withheld_copyright, withheld_in_countries, source, text,
                      country_code, state_code, lang, place_name, geo)
  VALUES (p_id, p_user_id, p_created_at, p_in_reply_to_status_id, p_in_reply_to_user_id,
          p_quoted_status_id, p_retweet_count, p_favorite_count, p_quote_count,
          p_withheld_copyright, p_withheld_in_countries, p_source, p_text, p_country_code,
          p_state_code, p_lang, p_place_name, p_geo)
  ON CONFLICT (id_tweets) DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  IF inserted = 0 THEN
    RETURN false;
  END IF;

  -- Each insert is a single-row VALUES with the distribution key given, which Citus routes
  -- straight to one shard (about 1 ms); an INSERT ... SELECT FROM unnest() goes through
  -- its coordinator's insert-select path instead (about 8 ms each, measured).
  FOREACH u IN ARRAY ARRAY(SELECT DISTINCT x FROM unnest(p_urls || p_media_urls || a_url) AS x
                             WHERE x IS NOT NULL ORDER BY 1) LOOP
    INSERT INTO urls (id_urls, url) VALUES (tweetload_url_id(u), u)
    ON CONFLICT (id_urls) DO NOTHING;
  END LOOP;

  -- The snapshot rule of load-tweet.sql, user by user in ascending id order.
  FOR usr IN
    SELECT * FROM (
      SELECT p_user_id AS id, a_created_at AS created_at, tweetload_url_id(a_url) AS id_urls,
             a_friends_count AS friends_count, a_listed_count AS listed_count,
             a_favourites_count AS favourites_count, a_statuses_count AS statuses_count,
             a_protected AS protected, a_verified AS verified, a_screen_name AS screen_name,
             a_name AS name, a_location AS location, a_description AS description,
             a_withheld_in_countries AS withheld_in_countries, true AS hydrated
      UNION ALL
      SELECT o.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, o.screen_name, o.name,
             NULL, NULL, NULL, false
        FROM unnest(u_ids, u_screen_names, u_names) AS o (id, screen_name, name)
    ) AS rows
    ORDER BY id
  LOOP
    INSERT INTO users (id_users, created_at, updated_at, id_urls, friends_count, listed_count,
                       favourites_count, statuses_count, protected, verified, screen_name, name,
                       location, description, withheld_in_countries, snapshot_tweet_id,
                       hydrated)
    VALUES (usr.id, usr.created_at, p_created_at, usr.id_urls, usr.friends_count,
            usr.listed_count, usr.favourites_count, usr.statuses_count, usr.protected,
            usr.verified, usr.screen_name, usr.name, usr.location, usr.description,
            usr.withheld_in_countries, p_id, usr.hydrated)
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
             coalesce(users.snapshot_tweet_id, -9223372036854775808));
  END LOOP;

  FOREACH u IN ARRAY coalesce(p_urls, '{}') LOOP
    INSERT INTO tweet_urls (id_tweets, id_urls) VALUES (p_id, tweetload_url_id(u));
  END LOOP;
  FOREACH m IN ARRAY coalesce(p_mentions, '{}') LOOP
    INSERT INTO tweet_mentions (id_tweets, id_users) VALUES (p_id, m);
  END LOOP;
  FOREACH u IN ARRAY coalesce(p_tags, '{}') LOOP
    INSERT INTO tweet_tags (id_tweets, tag) VALUES (p_id, u);
  END LOOP;
  FOR i IN 1 .. coalesce(cardinality(p_media_urls), 0) LOOP
    INSERT INTO tweet_media (id_tweets, id_urls, type)
    VALUES (p_id, tweetload_url_id(p_media_urls[i]), p_media_types[i]);
  END LOOP;
  RETURN true;
END
$fn$;
