-- tweetload_load_tweet on Citus (pg_normalized laid out by services/citus/pg_normalized.sql):
-- the same arguments and result as load-tweet.sql, which a plain server keeps using. Chosen
-- by the loader when tweets is a distributed table.
--
-- Differences, each forced by the distributed layout:
-- - A url's id is tweetload_url_id(url), a hash, so urls are inserted and link rows made
--   without looking an id up on another shard.
-- - One statement per table instead of one statement with data-modifying CTEs: Citus plans
--   each CTE as a step of its own, and the steps cannot see each other's rows.
-- - The tweet goes first, so a tweet loaded before costs one statement; then urls, users
--   and the links. Locks are still taken in one order (the tweet, urls by id, users by id),
--   so two calls wait for each other rather than deadlock.
-- - The function is distributed by p_id, co-located with tweets (see the loader): the
--   coordinator hands each call to the worker holding the tweet's shard, where the tweet
--   and its links are local writes and only urls and users may reach another node.
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

  IF cardinality(p_urls) > 0 OR cardinality(p_media_urls) > 0 OR a_url IS NOT NULL THEN
    INSERT INTO urls (id_urls, url)
    SELECT DISTINCT tweetload_url_id(u), u FROM unnest(p_urls || p_media_urls || a_url) AS u
     WHERE u IS NOT NULL
     ORDER BY 1
    ON CONFLICT (id_urls) DO NOTHING;
  END IF;

  -- The snapshot rule of load-tweet.sql, unchanged.
  INSERT INTO users (id_users, created_at, updated_at, id_urls, friends_count, listed_count,
                     favourites_count, statuses_count, protected, verified, screen_name, name,
                     location, description, withheld_in_countries, snapshot_tweet_id, hydrated)
  SELECT * FROM (
    SELECT p_user_id, a_created_at, p_created_at, tweetload_url_id(a_url), a_friends_count,
           a_listed_count, a_favourites_count, a_statuses_count, a_protected, a_verified,
           a_screen_name, a_name, a_location, a_description, a_withheld_in_countries, p_id, true
    UNION ALL
    SELECT u.id, NULL, p_created_at, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           u.screen_name, u.name, NULL, NULL, NULL, p_id, false
      FROM unnest(u_ids, u_screen_names, u_names) AS u (id, screen_name, name)
  ) AS rows (id_users)
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
           coalesce(users.snapshot_tweet_id, -9223372036854775808));

  IF cardinality(p_urls) > 0 THEN
    INSERT INTO tweet_urls (id_tweets, id_urls)
    SELECT p_id, tweetload_url_id(u) FROM unnest(p_urls) AS u;
  END IF;
  IF cardinality(p_mentions) > 0 THEN
    INSERT INTO tweet_mentions (id_tweets, id_users)
    SELECT p_id, m FROM unnest(p_mentions) AS m;
  END IF;
  IF cardinality(p_tags) > 0 THEN
    INSERT INTO tweet_tags (id_tweets, tag)
    SELECT p_id, t FROM unnest(p_tags) AS t;
  END IF;
  IF cardinality(p_media_urls) > 0 THEN
    INSERT INTO tweet_media (id_tweets, id_urls, type)
    SELECT p_id, tweetload_url_id(m.url), m.type
      FROM unnest(p_media_urls, p_media_types) AS m (url, type);
  END IF;
  RETURN true;
END
$fn$;
