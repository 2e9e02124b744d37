-- The tweets table of pg_normalized and pg_normalized_batch, one description for the two:
-- applied after services/user-snapshot.sql and before services/pg_normalized/schema.sql or
-- services/pg_normalized_batch/schema.sql by `tweetload db up` and `db reset`
-- (src/db/schema.ts), and by those Docker images (17_tweets.sql). The loaders' column
-- lists come from TWEET_TABLE (src/transform/tweet-table.ts), in this order; a column
-- added here and there is loaded by every loader. pg_normalized's schema then gives the
-- table its keys; pg_normalized_batch keeps it without. Idempotent.

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
