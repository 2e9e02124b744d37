-- pg_normalized_batch: the normalized tables, built for parallel batches.
--
-- No PRIMARY KEY, UNIQUE or FOREIGN KEY constraints: concurrent batches that
-- insert the same keys can then never wait on each other or deadlock. Rows may
-- repeat; queries count DISTINCT. There is no urls table: every id_urls of
-- pg_normalized is the url itself (url TEXT). The secondary indexes are the
-- same as in pg_normalized.
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

CREATE TABLE IF NOT EXISTS users (
  id_users BIGINT,
  created_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ,
  url TEXT,
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

CREATE TABLE IF NOT EXISTS tweets (
  id_tweets BIGINT,
  id_users BIGINT,
  created_at TIMESTAMPTZ,
  in_reply_to_status_id BIGINT,
  in_reply_to_user_id BIGINT,
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
  id_tweets BIGINT,
  url TEXT
);

CREATE TABLE IF NOT EXISTS tweet_mentions (
  id_tweets BIGINT,
  id_users BIGINT
);
CREATE INDEX IF NOT EXISTS tweet_mentions_id_users_idx ON tweet_mentions (id_users);

CREATE TABLE IF NOT EXISTS tweet_tags (
  id_tweets BIGINT,
  tag TEXT
);
CREATE INDEX IF NOT EXISTS tweet_tags_id_tweets_idx ON tweet_tags (id_tweets);

CREATE TABLE IF NOT EXISTS tweet_media (
  id_tweets BIGINT,
  url TEXT,
  type TEXT
);

-- Counted by distinct tweets so repeated rows do not change the totals.
-- Refresh after loading.
CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_total AS
SELECT
  row_number() OVER (ORDER BY count(DISTINCT id_tweets) DESC, tag) AS row,
  tag,
  count(DISTINCT id_tweets) AS total
FROM tweet_tags
GROUP BY tag;

CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_cooccurrence AS
SELECT
  t1.tag AS tag1,
  t2.tag AS tag2,
  count(DISTINCT t1.id_tweets) AS total
FROM tweet_tags t1
JOIN tweet_tags t2 ON t2.id_tweets = t1.id_tweets
GROUP BY t1.tag, t2.tag;

-- The journal, in its own schema so that it is tweetload's bookkeeping and
-- not part of the data: one row per archive fully loaded into this database,
-- written in the same transaction as the file's rows by the COPY loaders
-- (after the file by the per-tweet loaders, whose writes are idempotent). A
-- re-run skips the files it names. The key is the file's base name and content
-- hash: a copy of a file under another name is another file (a clean load
-- loads it too); a file whose content changed is loaded again.
-- The key is harmless in this constraint-free database: it is not on a tweet
-- table, and two loads of the same file take turns on an advisory lock before
-- they write it, so no batch ever waits on another at this key.
CREATE SCHEMA IF NOT EXISTS tweetload;
CREATE TABLE IF NOT EXISTS tweetload.journal (
  file_name TEXT NOT NULL,
  size BIGINT NOT NULL,
  content_hash TEXT NOT NULL,
  loader TEXT NOT NULL,
  tweets BIGINT NOT NULL,
  rejects BIGINT NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (file_name, content_hash)
);
-- Stream notices the file held, per kind ({"delete": 500, "limit": 20}); added to journals
-- made before notices were counted.
ALTER TABLE tweetload.journal ADD COLUMN IF NOT EXISTS notices JSONB NOT NULL DEFAULT '{}';

