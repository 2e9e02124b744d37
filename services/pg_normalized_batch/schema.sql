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

-- Every snapshot of a user is kept (a row per tweet that names the user). A query that
-- needs one row per user takes, by the data contract's rule, the hydrated rows before
-- the unhydrated ones, then the latest updated_at (a NULL one counting as the earliest),
-- then the greatest snapshot_tweet_id (see sql/10_*.sql). snapshot_tweet_id is the tweet
-- the row came from; hydrated tells the tweet's author (the whole user object) from a
-- reply target or a mention (id and names only).
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
-- Added apart so that databases made before get them too; their old rows rank lowest.
ALTER TABLE users ADD COLUMN IF NOT EXISTS snapshot_tweet_id BIGINT;
ALTER TABLE users ADD COLUMN IF NOT EXISTS hydrated BOOLEAN;

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

-- Counted on distinct (tweet, tag) pairs, deduplicated before anything else:
-- repeated rows (a tweet on many lines, a file loaded with --force) then change
-- neither the totals nor the cost. Self-joining the raw rows instead pairs every
-- copy of a tweet with every other copy, and 20,000 copies of one tweet made
-- the refresh run for minutes. On distinct pairs count(*) counts distinct
-- tweets. Refresh after loading.
-- A database made before the views counted distinct pairs gets them now: IF NOT
-- EXISTS below would keep the old, quadratic definitions.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_matviews
              WHERE schemaname = current_schema() AND matviewname = 'tweet_tags_cooccurrence'
                AND definition NOT LIKE '%pairs%') THEN
    DROP MATERIALIZED VIEW tweet_tags_cooccurrence;
    DROP MATERIALIZED VIEW IF EXISTS tweet_tags_total;
  END IF;
END
$$;

CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_total AS
WITH pairs AS (SELECT DISTINCT id_tweets, tag FROM tweet_tags)
SELECT
  row_number() OVER (ORDER BY count(*) DESC, tag) AS row,
  tag,
  count(*) AS total
FROM pairs
GROUP BY tag;

CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_cooccurrence AS
WITH pairs AS MATERIALIZED (SELECT DISTINCT id_tweets, tag FROM tweet_tags)
SELECT
  t1.tag AS tag1,
  t2.tag AS tag2,
  count(*) AS total
FROM pairs t1
JOIN pairs t2 ON t2.id_tweets = t1.id_tweets
GROUP BY t1.tag, t2.tag;

-- The journal, in its own schema so that it is tweetload's bookkeeping and
-- not part of the data: one row per archive fully loaded into this database,
-- written in the same transaction as the file's rows by the COPY loaders
-- (after the file by the per-tweet loaders, whose writes are idempotent). A
-- re-run skips the files it names. A file is known by its resolved path and
-- content hash (docs/faults.md, "Journal"): the same content under the same base
-- name is skipped wherever it lies; a path loaded with other content is refused
-- until `load --replace`.
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
  finished_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Stream notices the file held, per kind ({"delete": 500, "limit": 20}); added to journals
-- made before notices were counted.
ALTER TABLE tweetload.journal ADD COLUMN IF NOT EXISTS notices JSONB NOT NULL DEFAULT '{}';

-- Load identity (issue 14): a file is its resolved path and its content. Rows of journals
-- made before keep path NULL: they still skip their content under the same base name, but
-- cannot be replaced. These statements upgrade an older journal in place.
ALTER TABLE tweetload.journal ADD COLUMN IF NOT EXISTS path TEXT;
ALTER TABLE tweetload.journal ADD COLUMN IF NOT EXISTS load_id BIGINT;
DO $$
BEGIN
  -- The old key (base name, content) would refuse the same content loaded from two paths.
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'journal_pkey'
               AND conrelid = 'tweetload.journal'::regclass) THEN
    ALTER TABLE tweetload.journal DROP CONSTRAINT journal_pkey;
  END IF;
END
$$;
CREATE UNIQUE INDEX IF NOT EXISTS journal_path_content_key
  ON tweetload.journal (path, content_hash);
CREATE INDEX IF NOT EXISTS journal_name_content_idx
  ON tweetload.journal (file_name, content_hash);

-- Chunks of a file loaded in parallel (issue 16): one row per committed chunk (lines
-- first_line .. first_line+lines-1 of a member; member '' for a plain file), written in the
-- chunk's own transaction (after its last tweet by the per-tweet loader). A re-run after a
-- crash loads only the chunks not listed, cut again with the chunk_lines stored here; the
-- rows of a file go in the transaction that writes its journal row.
CREATE TABLE IF NOT EXISTS tweetload.journal_chunks (
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  load_id BIGINT,
  member TEXT NOT NULL,
  chunk INTEGER NOT NULL,
  chunk_lines INTEGER NOT NULL,
  first_line BIGINT NOT NULL,
  lines INTEGER NOT NULL,
  loader TEXT NOT NULL,
  tweets BIGINT NOT NULL,
  rejects BIGINT NOT NULL,
  notices JSONB NOT NULL DEFAULT '{}',
  finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (path, content_hash, member, chunk)
);

-- A chunk belongs to its content, as a finished file does: its base name and content hash
-- (docs/faults.md, "One load per content"). So a load from another folder, or standard
-- input (a new spool folder every run), finds the chunks an earlier load of the same
-- content committed. NULL in rows written before; those are found by their path.
ALTER TABLE tweetload.journal_chunks ADD COLUMN IF NOT EXISTS file_name TEXT;
CREATE INDEX IF NOT EXISTS journal_chunks_content_idx
  ON tweetload.journal_chunks (content_hash, member, chunk);

-- Every row knows the load it came from: load_id, the id of the input file's path
-- (src/input/file-identity.ts), filled by a DEFAULT from the session setting
-- tweetload.load_id that the loader sets per file, so COPY and INSERT statements need
-- not name it. NULL for rows loaded before (or by scripts/). No index: only
-- `load --replace` reads it, once per replaced file.
ALTER TABLE users ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;
ALTER TABLE tweets ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;
ALTER TABLE tweet_urls ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;
ALTER TABLE tweet_mentions ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;
ALTER TABLE tweet_tags ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;
ALTER TABLE tweet_media ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;

-- Removes every row of one load (`load --replace`); returns the tweet rows removed. No keys
-- here: each load's rows are its own, users included.
CREATE OR REPLACE FUNCTION tweetload.forget_load(p_load BIGINT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  removed BIGINT;
BEGIN
  DELETE FROM users WHERE load_id = p_load;
  DELETE FROM tweet_urls WHERE load_id = p_load;
  DELETE FROM tweet_mentions WHERE load_id = p_load;
  DELETE FROM tweet_tags WHERE load_id = p_load;
  DELETE FROM tweet_media WHERE load_id = p_load;
  DELETE FROM tweets WHERE load_id = p_load;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;
