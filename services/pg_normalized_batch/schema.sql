-- pg_normalized_batch: the normalized tables, built for parallel batches.
--
-- No PRIMARY KEY, UNIQUE or FOREIGN KEY constraints: concurrent batches that
-- insert the same keys can then never wait on each other or deadlock. Rows may
-- repeat; queries count DISTINCT. There is no urls table: every id_urls of
-- pg_normalized is the url itself (url TEXT). The secondary indexes are the
-- same as in pg_normalized.
--
-- The tweets table, and tweets.geo (geometry where PostGIS is available, else WKT text), are
-- made by services/tweets.sql, applied before this file.
-- Every statement is guarded, so applying the file twice changes nothing.

-- On Citus (`db reset --citus` applies the file again once the tables are distributed, as
-- one transaction) the functions below are created on every node only if the commands
-- before them on distributed tables used one connection per node: Citus refuses a function
-- after a parallel one ("cannot run function command because there was a parallel
-- operation"). Without Citus the setting is an unused placeholder.
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

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

-- tweets is made by services/tweets.sql, applied before this file.

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

-- The load journal (tweetload.journal, tweetload.journal_chunks) and its upgrades are in
-- services/journal.sql, the same for every database, applied before this file.

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
