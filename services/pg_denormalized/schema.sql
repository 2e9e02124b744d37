-- pg_denormalized: one row per input line, the tweet as JSONB, and views that
-- present it with the same names and columns as the tables of pg_normalized.
--
-- The views follow the "From a tweet to rows" rules of the data contract, so
-- the three databases answer the checker's queries alike. JSONB keeps numbers
-- as numeric, so tweetload_id(data, 'id') is exact for 64-bit ids.
-- Differences from pg_normalized, where a view cannot do better: rows repeat
-- when a tweet occurs on several input lines (count DISTINCT, as in the batch
-- database); urls are text columns named url (there is no urls table); users
-- picks, per id, the snapshot the normalized loaders keep (see the view).
--
-- One file for both kinds of server: where PostGIS is available, tweets.geo is
-- geometry (SRID 4326); elsewhere it is TEXT holding WKT ("POINT(lon lat)" or
-- "MULTIPOLYGON(((lon lat,...)))", no SRID prefix).
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

-- The digits of a 64-bit id the way the loaders read one (src/transform/exact-json.ts):
-- the `<key>_str` twin when it is a string of digits, else `<key>` as a whole number or
-- a string of digits; otherwise NULL.
CREATE OR REPLACE FUNCTION tweetload_id_text(value JSONB, key TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(value -> (key || '_str')) = 'string' AND (value ->> (key || '_str')) ~ '^-?[0-9]+$'
      THEN value ->> (key || '_str')
    WHEN jsonb_typeof(value -> key) IN ('number', 'string') AND (value ->> key) ~ '^-?[0-9]+$'
      THEN value ->> key
  END
$$;

-- Whether digits fit BIGINT (NULL for NULL). The loaders reject an id that does not.
CREATE OR REPLACE FUNCTION tweetload_fits_bigint(digits TEXT) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN digits IS NOT NULL THEN
    length(ltrim(ltrim(digits, '-'), '0')) < 19
    OR (length(ltrim(ltrim(digits, '-'), '0')) = 19
        AND digits::NUMERIC BETWEEN -9223372036854775808 AND 9223372036854775807)
  END
$$;

-- An id as the views read it: the same digits the loaders read.
CREATE OR REPLACE FUNCTION tweetload_id(value JSONB, key TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT tweetload_id_text(value, key)::BIGINT
$$;

-- Kept for databases whose CHECK still names it (see the constraint below).
CREATE OR REPLACE FUNCTION tweetload_has_id(value JSONB) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(tweetload_fits_bigint(tweetload_id_text(value, 'id')), false)
$$;

-- Whether a line is a tweet as the loaders judge it (src/transform/classify-line.ts):
-- an object with an id and a user with an id, every id it names inside BIGINT (a
-- mention's id too). Stream notices have no user, so COPY refuses them like other
-- lines that are not tweets, and the loader's validated pass counts them.
CREATE OR REPLACE FUNCTION tweetload_is_tweet(data JSONB) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT jsonb_typeof(data) = 'object'
    AND jsonb_typeof(data -> 'user') = 'object'
    AND tweetload_has_id(data)
    AND tweetload_has_id(data -> 'user')
    AND COALESCE(tweetload_fits_bigint(tweetload_id_text(data, 'in_reply_to_status_id')), true)
    AND COALESCE(tweetload_fits_bigint(tweetload_id_text(data, 'in_reply_to_user_id')), true)
    AND COALESCE(tweetload_fits_bigint(tweetload_id_text(data, 'quoted_status_id')), true)
    AND NOT COALESCE(jsonb_path_exists(
      CASE WHEN jsonb_typeof(data -> 'extended_tweet') = 'object'
        THEN data -> 'extended_tweet' -> 'entities' ELSE data -> 'entities' END,
      'strict $.user_mentions[*] ? (@.id > 9223372036854775807 || @.id < -9223372036854775808
        || @.id_str like_regex "^-?0*[0-9]{20,}$")',
      '{}', true), false)
$$;

-- A line that is valid JSON but not a tweet object (an array, no id, no user
-- with an id, an id outside BIGINT, a notice) is refused by COPY itself, so the
-- denormalized loader rejects exactly the lines the other loaders reject,
-- without parsing JSON on the client. The cost is a few key lookups per row.
CREATE TABLE IF NOT EXISTS tweets_jsonb (
  data JSONB NOT NULL,
  CONSTRAINT tweets_jsonb_is_tweet CHECK (tweetload_is_tweet(data))
);

-- A database made before the CHECK called tweetload_is_tweet gets the new one, NOT VALID:
-- enforced for every new row without scanning the rows it holds.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conname = 'tweets_jsonb_is_tweet' AND conrelid = 'tweets_jsonb'::regclass
      AND pg_get_constraintdef(oid) LIKE '%tweetload_is_tweet%'
  ) THEN
    ALTER TABLE tweets_jsonb DROP CONSTRAINT IF EXISTS tweets_jsonb_is_tweet;
    ALTER TABLE tweets_jsonb ADD CONSTRAINT tweets_jsonb_is_tweet
      CHECK (tweetload_is_tweet(data)) NOT VALID;
  END IF;
END
$$;

-- Helpers for the views. Each is one expression, so the planner inlines it.

-- The value when it is a JSON array, else NULL (a JSON null or a missing key
-- must give no rows, not an error).
CREATE OR REPLACE FUNCTION tweetload_array(value JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(value) = 'array' THEN value END
$$;

-- Entities come from extended_tweet when the tweet has one.
CREATE OR REPLACE FUNCTION tweetload_entities(tweet JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(tweet->'extended_tweet') = 'object' THEN tweet->'extended_tweet'->'entities'
    ELSE tweet->'entities'
  END
$$;

CREATE OR REPLACE FUNCTION tweetload_full_text(tweet JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(tweet->'extended_tweet') = 'object' THEN tweet->'extended_tweet'->>'full_text'
    ELSE tweet->>'text'
  END
$$;

CREATE OR REPLACE FUNCTION tweetload_media(tweet JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    tweetload_array(tweet->'extended_tweet'->'extended_entities'->'media'),
    tweetload_array(tweet->'extended_entities'->'media')
  )
$$;

CREATE OR REPLACE FUNCTION tweetload_countries(value JSONB) RETURNS VARCHAR(2)[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(value) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(value))::VARCHAR(2)[]
  END
$$;

-- For US places: the last comma-separated part of full_name, trimmed and
-- lower-cased, when it is at most two characters long.
CREATE OR REPLACE FUNCTION tweetload_state_code(country_code TEXT, full_name TEXT) RETURNS VARCHAR(2)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN lower(country_code) = 'us'
      AND length(btrim(regexp_replace(full_name, '^.*,', ''), E' \t\r\n')) <= 2
    THEN lower(btrim(regexp_replace(full_name, '^.*,', ''), E' \t\r\n'))::VARCHAR(2)
  END
$$;

-- A GeoJSON position [lon, lat, ...] as "lon lat", numbers spelled as
-- float8 prints them (the shortest text that reads back the same double).
CREATE OR REPLACE FUNCTION tweetload_position_wkt(pos JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(pos->0) = 'number' AND jsonb_typeof(pos->1) = 'number'
    THEN (pos->>0)::FLOAT8::TEXT || ' ' || (pos->>1)::FLOAT8::TEXT
  END
$$;

-- A linear ring as "(x y,...)", closed by repeating its first position when
-- the last differs; NULL unless every element is a position.
CREATE OR REPLACE FUNCTION tweetload_ring_wkt(ring JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN count(*) > 0 AND bool_and(tweetload_position_wkt(pos) IS NOT NULL) THEN
    '(' || string_agg(tweetload_position_wkt(pos), ',' ORDER BY n) || ')'
  END
  FROM jsonb_array_elements(
    CASE
      WHEN jsonb_typeof(ring) <> 'array' THEN '[]'::JSONB
      WHEN tweetload_position_wkt(ring->0) = tweetload_position_wkt(ring->-1) THEN ring
      ELSE ring || jsonb_build_array(ring->0)
    END
  ) WITH ORDINALITY AS positions (pos, n)
$$;

-- The point of `coordinates` (GeoJSON, longitude first), else the place's
-- bounding box as a closed MULTIPOLYGON, else NULL; as WKT.
CREATE OR REPLACE FUNCTION tweetload_geo_wkt(tweet JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    'POINT(' || tweetload_position_wkt(tweet->'coordinates'->'coordinates') || ')',
    (SELECT CASE WHEN count(*) > 0 AND bool_and(tweetload_ring_wkt(ring) IS NOT NULL) THEN
       'MULTIPOLYGON((' || string_agg(tweetload_ring_wkt(ring), ',' ORDER BY n) || '))'
     END
     FROM jsonb_array_elements(
       tweetload_array(tweet->'place'->'bounding_box'->'coordinates')
     ) WITH ORDINALITY AS rings (ring, n))
  )
$$;

-- geo is geometry or text depending on the mode, so this view is built here.
DO $$
DECLARE
  geo TEXT := CASE
    WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')
      THEN 'ST_GeomFromText(tweetload_geo_wkt(data), 4326)'
    ELSE 'tweetload_geo_wkt(data)'
  END;
BEGIN
  EXECUTE format($view$
    CREATE OR REPLACE VIEW tweets AS
    SELECT
      tweetload_id(data, 'id') AS id_tweets,
      tweetload_id(data->'user', 'id') AS id_users,
      (data->>'created_at')::TIMESTAMPTZ AS created_at,
      tweetload_id(data, 'in_reply_to_status_id') AS in_reply_to_status_id,
      tweetload_id(data, 'in_reply_to_user_id') AS in_reply_to_user_id,
      tweetload_id(data, 'quoted_status_id') AS quoted_status_id,
      (data->>'retweet_count')::INTEGER AS retweet_count,
      (data->>'favorite_count')::INTEGER AS favorite_count,
      (data->>'quote_count')::INTEGER AS quote_count,
      (data->>'withheld_copyright')::BOOLEAN AS withheld_copyright,
      tweetload_countries(data->'withheld_in_countries') AS withheld_in_countries,
      data->>'source' AS source,
      tweetload_full_text(data) AS text,
      lower(data->'place'->>'country_code')::VARCHAR(2) AS country_code,
      tweetload_state_code(data->'place'->>'country_code', data->'place'->>'full_name') AS state_code,
      data->>'lang' AS lang,
      data->'place'->>'full_name' AS place_name,
      %s AS geo
    FROM tweets_jsonb
  $view$, geo);
END
$$;

CREATE OR REPLACE VIEW tweet_urls AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, u->>'expanded_url' AS url
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_array(tweetload_entities(t.data)->'urls')) AS u
WHERE u->>'expanded_url' IS NOT NULL;

CREATE OR REPLACE VIEW tweet_mentions AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, tweetload_id(m, 'id') AS id_users
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_array(tweetload_entities(t.data)->'user_mentions')) AS m
WHERE tweetload_id(m, 'id') IS NOT NULL;

CREATE OR REPLACE VIEW tweet_tags AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, '#' || (h->>'text') AS tag
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_array(tweetload_entities(t.data)->'hashtags')) AS h
WHERE jsonb_typeof(h->'text') = 'string' -- as the loaders: no NULL tag
UNION ALL
SELECT tweetload_id(t.data, 'id') AS id_tweets, '$' || (s->>'text') AS tag
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_array(tweetload_entities(t.data)->'symbols')) AS s
WHERE jsonb_typeof(s->'text') = 'string';

CREATE OR REPLACE VIEW tweet_media AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, m->>'media_url' AS url, m->>'type' AS type
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_media(t.data)) AS m
WHERE m->>'media_url' IS NOT NULL;

-- Every user a tweet names: its author (hydrated), the user it replies to (id
-- and screen name only) and the users it mentions (id, name, screen name), each
-- with updated_at = the tweet's created_at. Per id the SPEC's snapshot rule picks
-- one: hydrated before unhydrated, then the latest tweet (a missing created_at is
-- the earliest), then the greatest tweet id, then, inside one tweet, the order
-- the loaders keep (author, reply target, mentions in order). snapshot_tweet_id and
-- hydrated say where the row came from, as the columns of pg_normalized do.
CREATE OR REPLACE VIEW users AS
SELECT DISTINCT ON (id_users)
  id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count,
  statuses_count, protected, verified, screen_name, name, location, description,
  withheld_in_countries, snapshot_tweet_id, hydrated
FROM (
  SELECT
    tweetload_id(u, 'id') AS id_users,
    (u->>'created_at')::TIMESTAMPTZ AS created_at,
    (t.data->>'created_at')::TIMESTAMPTZ AS updated_at,
    u->>'url' AS url,
    (u->>'friends_count')::INTEGER AS friends_count,
    (u->>'listed_count')::INTEGER AS listed_count,
    (u->>'favourites_count')::INTEGER AS favourites_count,
    (u->>'statuses_count')::INTEGER AS statuses_count,
    (u->>'protected')::BOOLEAN AS protected,
    (u->>'verified')::BOOLEAN AS verified,
    u->>'screen_name' AS screen_name,
    u->>'name' AS name,
    u->>'location' AS location,
    u->>'description' AS description,
    tweetload_countries(u->'withheld_in_countries') AS withheld_in_countries,
    tweetload_id(t.data, 'id') AS snapshot_tweet_id,
    true AS hydrated,
    0::BIGINT AS position
  FROM tweets_jsonb AS t
  -- OFFSET 0 keeps the planner from inlining u: each u->>'field' would otherwise take
  -- the user out of the whole (compressed) tweet again; this way it is taken once per
  -- row (the view's scan: 2.2 s -> 1.0 s for the 6,027 tweets of the sample).
  CROSS JOIN LATERAL (SELECT t.data->'user' AS u OFFSET 0) AS author
  WHERE tweetload_id(u, 'id') IS NOT NULL
  UNION ALL
  SELECT
    tweetload_id(t.data, 'in_reply_to_user_id'), NULL, (t.data->>'created_at')::TIMESTAMPTZ,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, t.data->>'in_reply_to_screen_name', NULL, NULL,
    NULL, NULL, tweetload_id(t.data, 'id'), false, 1
  FROM tweets_jsonb AS t
  WHERE tweetload_id(t.data, 'in_reply_to_user_id') IS NOT NULL
  UNION ALL
  SELECT
    tweetload_id(m, 'id'), NULL, (t.data->>'created_at')::TIMESTAMPTZ, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, m->>'screen_name', m->>'name', NULL, NULL, NULL,
    tweetload_id(t.data, 'id'), false, 1 + n
  FROM tweets_jsonb AS t
  CROSS JOIN LATERAL jsonb_array_elements(tweetload_array(tweetload_entities(t.data)->'user_mentions'))
    WITH ORDINALITY AS mentions (m, n)
  WHERE tweetload_id(m, 'id') IS NOT NULL
) AS sightings
ORDER BY id_users, hydrated DESC, updated_at DESC NULLS LAST, snapshot_tweet_id DESC, position;

-- Plain views here (the data is only in tweets_jsonb); same columns as the
-- materialized views of the other two databases. Counted on distinct (tweet,
-- tag) pairs, deduplicated before the self-join: a tweet on many lines would
-- otherwise pair every copy with every other copy (quadratic in the copies).
CREATE OR REPLACE VIEW tweet_tags_total AS
WITH pairs AS (SELECT DISTINCT id_tweets, tag FROM tweet_tags)
SELECT
  row_number() OVER (ORDER BY count(*) DESC, tag) AS row,
  tag,
  count(*) AS total
FROM pairs
GROUP BY tag;

CREATE OR REPLACE VIEW tweet_tags_cooccurrence AS
WITH pairs AS MATERIALIZED (SELECT DISTINCT id_tweets, tag FROM tweet_tags)
SELECT
  t1.tag AS tag1,
  t2.tag AS tag2,
  count(*) AS total
FROM pairs AS t1
JOIN pairs AS t2 ON t2.id_tweets = t1.id_tweets
GROUP BY t1.tag, t2.tag;

-- The journal, in its own schema so that it is tweetload's bookkeeping and
-- not part of the data: one row per archive fully loaded into this database,
-- written in the same transaction as the file's rows by the COPY loaders
-- (after the file by the per-tweet loaders, whose writes are idempotent). A
-- re-run skips the files it names. A file is known by its resolved path and
-- content hash (docs/faults.md, "Journal"): the same content under the same base
-- name is skipped wherever it lies; a path loaded with other content is refused
-- until `load --replace`.
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

-- Every row knows the load it came from: load_id, the id of the input file's path
-- (src/input/file-identity.ts), filled by a DEFAULT from the session setting
-- tweetload.load_id that the loader sets per file, so COPY and INSERT statements need
-- not name it. NULL for rows loaded before (or by scripts/). No index: only
-- `load --replace` reads it, once per replaced file.
ALTER TABLE tweets_jsonb ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;

-- Removes the rows of one load (`load --replace`); returns the tweet rows removed.
CREATE OR REPLACE FUNCTION tweetload.forget_load(p_load BIGINT) RETURNS BIGINT
LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM tweets_jsonb WHERE load_id = p_load RETURNING 1)
  SELECT count(*) FROM gone
$$;
