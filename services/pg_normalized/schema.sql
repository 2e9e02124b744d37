-- pg_normalized: tweets split into tables with every key enforced.
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

-- tweets is made by services/tweets.sql (applied before this file) and gets its keys here,
-- once: a table with its primary key has them. (On Citus, services/citus/pg_normalized.sql
-- then drops the foreign keys to users, and applying this file again must not add them.)
-- in_reply_to_status_id and quoted_status_id point at tweets that are usually not in the
-- archive, so they carry no foreign key.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'tweets'::regclass AND contype = 'p') THEN
    ALTER TABLE tweets
      ADD PRIMARY KEY (id_tweets),
      ADD FOREIGN KEY (id_users) REFERENCES users (id_users) DEFERRABLE,
      ADD FOREIGN KEY (in_reply_to_user_id) REFERENCES users (id_users) DEFERRABLE;
  END IF;
END
$$;

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
