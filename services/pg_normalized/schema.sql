-- pg_normalized: tweets split into tables with every key enforced.
--
-- One file for both kinds of server: where PostGIS is available, tweets.geo is
-- geometry(Geometry, 4326) with a GiST index; elsewhere it is TEXT holding WKT
-- ("POINT(lon lat)" or "MULTIPOLYGON(((lon lat,...)))", no SRID prefix).
-- Every statement is guarded, so applying the file twice changes nothing.

-- A server without PostGIS, or a role that may not create it, gets text mode.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') THEN
    CREATE EXTENSION IF NOT EXISTS postgis;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'PostGIS is installed but this role may not create it: tweets.geo will be WKT text';
END
$$;

CREATE TABLE IF NOT EXISTS urls (
  id_urls BIGSERIAL PRIMARY KEY,
  url TEXT UNIQUE
);

-- One row per user: the snapshot from the user's tweet with the greatest created_at
-- (updated_at), ties broken by the greatest tweet id, hydrated rows (the tweet's author)
-- before unhydrated ones (reply targets and mentions: id and names only), whatever the
-- load order (tweetload_snapshot_rank of services/user-snapshot.sql, which every loader
-- calls). snapshot_tweet_id and hydrated record where the row came from, so that a later
-- load can compare without searching the tweets: updated_at alone cannot break ties
-- between tweets of one second.
CREATE TABLE IF NOT EXISTS users (
  id_users BIGINT PRIMARY KEY,
  created_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ,
  id_urls BIGINT REFERENCES urls (id_urls) DEFERRABLE,
  friends_count INTEGER,
  listed_count INTEGER,
  favourites_count INTEGER,
  statuses_count INTEGER,
  protected BOOLEAN,
  verified BOOLEAN,
  screen_name TEXT,
  name TEXT,
  location TEXT,
  description TEXT,
  withheld_in_countries VARCHAR(2)[]
);
-- Added apart so that databases made before get them too; their old rows rank lowest.
ALTER TABLE users ADD COLUMN IF NOT EXISTS snapshot_tweet_id BIGINT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS hydrated BOOLEAN;

-- in_reply_to_status_id and quoted_status_id point at tweets that are usually
-- not in the archive, so they carry no foreign key.
CREATE TABLE IF NOT EXISTS tweets (
  id_tweets BIGINT PRIMARY KEY,
  id_users BIGINT REFERENCES users (id_users) DEFERRABLE,
  created_at TIMESTAMPTZ,
  in_reply_to_status_id BIGINT,
  in_reply_to_user_id BIGINT REFERENCES users (id_users) DEFERRABLE,
  quoted_status_id BIGINT,
  retweet_count INTEGER,
  favorite_count INTEGER,
  quote_count INTEGER,
  withheld_copyright BOOLEAN,
  withheld_in_countries VARCHAR(2)[],
  source TEXT,
  text TEXT,
  country_code VARCHAR(2),
  state_code VARCHAR(2),
  lang TEXT,
  place_name TEXT
);

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') THEN
    ALTER TABLE tweets ADD COLUMN IF NOT EXISTS geo geometry(Geometry, 4326);
    CREATE INDEX IF NOT EXISTS tweets_geo_idx ON tweets USING gist (geo);
  ELSE
    ALTER TABLE tweets ADD COLUMN IF NOT EXISTS geo TEXT;
  END IF;
END
$$;

CREATE INDEX IF NOT EXISTS tweets_withheld_in_countries_idx
  ON tweets USING gin (withheld_in_countries);

CREATE TABLE IF NOT EXISTS tweet_urls (
  id_tweets BIGINT REFERENCES tweets (id_tweets) DEFERRABLE,
  id_urls BIGINT REFERENCES urls (id_urls) DEFERRABLE,
  PRIMARY KEY (id_tweets, id_urls)
);

CREATE TABLE IF NOT EXISTS tweet_mentions (
  id_tweets BIGINT REFERENCES tweets (id_tweets) DEFERRABLE,
  id_users BIGINT REFERENCES users (id_users) DEFERRABLE,
  PRIMARY KEY (id_tweets, id_users)
);
CREATE INDEX IF NOT EXISTS tweet_mentions_id_users_idx ON tweet_mentions (id_users);

CREATE TABLE IF NOT EXISTS tweet_tags (
  id_tweets BIGINT REFERENCES tweets (id_tweets) DEFERRABLE,
  tag TEXT,
  PRIMARY KEY (id_tweets, tag)
);
CREATE INDEX IF NOT EXISTS tweet_tags_id_tweets_idx ON tweet_tags (id_tweets);

CREATE TABLE IF NOT EXISTS tweet_media (
  id_tweets BIGINT REFERENCES tweets (id_tweets) DEFERRABLE,
  id_urls BIGINT REFERENCES urls (id_urls) DEFERRABLE,
  type TEXT,
  PRIMARY KEY (id_tweets, id_urls)
);

-- Counted by tweets, as in the other databases. The primary key of tweet_tags
-- holds each (tweet, tag) once, so the rows are already the distinct pairs the
-- other two databases deduplicate first (no copy of a tweet can multiply the
-- self-join), and count(*) counts distinct tweets here; unlike
-- count(DISTINCT), it lets PostgreSQL aggregate by hashing rather than sort all
-- tag pairs, which cuts the refresh after a load from 0.7 s to 0.2 s on the
-- full-size set. Refresh after loading.
CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_total AS
SELECT
  row_number() OVER (ORDER BY count(*) DESC, tag) AS row,
  tag,
  count(*) AS total
FROM tweet_tags
GROUP BY tag;

CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_cooccurrence AS
SELECT
  t1.tag AS tag1,
  t2.tag AS tag2,
  count(*) AS total
FROM tweet_tags t1
JOIN tweet_tags t2 ON t2.id_tweets = t1.id_tweets
GROUP BY t1.tag, t2.tag;

-- The load journal (tweetload.journal, tweetload.journal_chunks) and its upgrades are in
-- services/journal.sql, the same for every database, applied before this file.

-- Every row knows the load it came from: load_id, the id of the input file's path
-- (src/input/file-identity.ts), filled by a DEFAULT from the session setting
-- tweetload.load_id that the loader sets per file, so COPY and INSERT statements need
-- not name it. NULL for rows loaded before (or by scripts/). No index: only
-- `load --replace` reads it, once per replaced file.
ALTER TABLE tweets ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;

-- Removes the tweets of one load (`load --replace`) with their link rows; returns the tweets
-- removed. A tweet belongs to the first load that inserted it (the loaders insert with ON
-- CONFLICT DO NOTHING), so a tweet that another file also holds goes with that first load:
-- load the other file again (--force) to bring it back. Users and urls are a dictionary
-- shared by every load and stay.
CREATE OR REPLACE FUNCTION tweetload.forget_load(p_load BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  removed BIGINT;
BEGIN
  DELETE FROM tweet_urls WHERE id_tweets IN (SELECT id_tweets FROM tweets WHERE load_id = p_load);
  DELETE FROM tweet_mentions WHERE id_tweets IN (SELECT id_tweets FROM tweets WHERE load_id = p_load);
  DELETE FROM tweet_tags WHERE id_tweets IN (SELECT id_tweets FROM tweets WHERE load_id = p_load);
  DELETE FROM tweet_media WHERE id_tweets IN (SELECT id_tweets FROM tweets WHERE load_id = p_load);
  DELETE FROM tweets WHERE load_id = p_load;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;
