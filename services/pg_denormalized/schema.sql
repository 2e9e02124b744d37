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

-- Whether a v2 tweet (flattened, or one of a page as the loader stores it) has an
-- author the way the loaders read one: `author_id` (or its `_str` twin) as an id
-- inside BIGINT, else an inlined `author` object with an id
-- (src/transform/v2/v2-tweet-to-rows.ts).
CREATE OR REPLACE FUNCTION tweetload_has_author(tweet JSONB) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT COALESCE(tweetload_fits_bigint(tweetload_id_text(tweet, 'author_id')), false)
    OR (jsonb_typeof(tweet -> 'author') = 'object' AND tweetload_has_id(tweet -> 'author'))
$$;

-- Whether a line is a tweet as the loaders judge it (src/transform/classify-line.ts):
-- an object with an id and, for v1.1 (it has a `user` object), a user with an id, else
-- (v2) an author with an id; every id it names inside BIGINT (a mention's id too).
-- Stream notices and v2 pages are not tweets: COPY refuses them like other lines that
-- are not tweets, and the loader's validated pass counts the notices (the loader stores
-- each tweet of a page instead).
CREATE OR REPLACE FUNCTION tweetload_is_tweet(data JSONB) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT jsonb_typeof(data) = 'object'
    AND tweetload_has_id(data)
    AND CASE
      WHEN jsonb_typeof(data -> 'user') = 'object' THEN tweetload_has_id(data -> 'user')
      ELSE tweetload_has_author(data)
    END
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
-- A v2 page is not a tweet: the loader stores each of its tweets instead.
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

-- v1.1 and v2 tweets share these views. A v2 tweet is stored flattened (twarc2
-- flatten's shape: author, mentions' users, attachments.media and the place in
-- geo inlined), and each helper reads the v1.1 key first: on v1.1 data the v2
-- branch is reached only where v1.1 has nothing (one more key lookup).

-- Entities come from extended_tweet when the tweet has one (v2: note_tweet).
CREATE OR REPLACE FUNCTION tweetload_entities(tweet JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(tweet->'extended_tweet') = 'object' THEN tweet->'extended_tweet'->'entities'
    WHEN jsonb_typeof(tweet->'note_tweet') = 'object' THEN tweet->'note_tweet'->'entities'
    ELSE tweet->'entities'
  END
$$;

CREATE OR REPLACE FUNCTION tweetload_full_text(tweet JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(tweet->'extended_tweet') = 'object' THEN tweet->'extended_tweet'->>'full_text'
    WHEN jsonb_typeof(tweet->'note_tweet') = 'object' THEN tweet->'note_tweet'->>'text'
    ELSE tweet->>'text'
  END
$$;

-- v1.1 media entities (extended_entities; before 2014, when it came, entities), else
-- v2's attachments.media (inlined from includes).
CREATE OR REPLACE FUNCTION tweetload_media(tweet JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    tweetload_array(tweet->'extended_tweet'->'extended_entities'->'media'),
    tweetload_array(tweet->'extended_entities'->'media'),
    tweetload_array(CASE WHEN jsonb_typeof(tweet->'extended_tweet') = 'object'
                         THEN tweet->'extended_tweet'->'entities'
                         ELSE tweet->'entities' END->'media'),
    tweetload_array(tweet->'attachments'->'media')
  )
$$;

-- The mentions of a tweet's entities: v1.1 user_mentions, else v2 mentions.
CREATE OR REPLACE FUNCTION tweetload_mentions(entities JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(tweetload_array(entities->'user_mentions'), tweetload_array(entities->'mentions'))
$$;

-- A media object's url: v1.1's media_url; a v2 media object (it has a media_key)
-- gives url (photos) or preview_image_url (videos, GIFs).
CREATE OR REPLACE FUNCTION tweetload_media_url(media JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    media->>'media_url',
    CASE WHEN media ? 'media_key' THEN coalesce(media->>'url', media->>'preview_image_url') END
  )
$$;

-- The id of a v2 tweet's first referenced tweet of a type (replied_to, quoted).
CREATE OR REPLACE FUNCTION tweetload_referenced(tweet JSONB, kind TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (jsonb_path_query_first(
    tweet, '$.referenced_tweets[*] ? (@.type == $kind).id', jsonb_build_object('kind', kind)
  ) #>> '{}')::BIGINT
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
-- bounding box as a closed MULTIPOLYGON, else NULL; as WKT. v2: the point of
-- geo.coordinates; the box of the place's bbox [w, s, e, n], as the ring
-- (w s, w n, e n, e s, w s).
CREATE OR REPLACE FUNCTION tweetload_geo_wkt(tweet JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(
    'POINT(' || tweetload_position_wkt(tweet->'coordinates'->'coordinates') || ')',
    (SELECT CASE WHEN count(*) > 0 AND bool_and(tweetload_ring_wkt(ring) IS NOT NULL) THEN
       'MULTIPOLYGON((' || string_agg(tweetload_ring_wkt(ring), ',' ORDER BY n) || '))'
     END
     FROM jsonb_array_elements(
       tweetload_array(tweet->'place'->'bounding_box'->'coordinates')
     ) WITH ORDINALITY AS rings (ring, n)),
    'POINT(' || tweetload_position_wkt(tweet->'geo'->'coordinates'->'coordinates') || ')',
    (SELECT 'MULTIPOLYGON((' || tweetload_ring_wkt(jsonb_build_array(
       jsonb_build_array(b->0, b->1), jsonb_build_array(b->0, b->3),
       jsonb_build_array(b->2, b->3), jsonb_build_array(b->2, b->1))) || '))'
     FROM (SELECT tweet->'geo'->'geo'->'bbox' AS b) AS box
     WHERE jsonb_array_length(tweetload_array(b)) >= 4)
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
      coalesce(tweetload_id(data->'user', 'id'), tweetload_id(data, 'author_id'),
        tweetload_id(data->'author', 'id')) AS id_users,
      (data->>'created_at')::TIMESTAMPTZ AS created_at,
      coalesce(tweetload_id(data, 'in_reply_to_status_id'), tweetload_referenced(data, 'replied_to'))
        AS in_reply_to_status_id,
      tweetload_id(data, 'in_reply_to_user_id') AS in_reply_to_user_id,
      coalesce(tweetload_id(data, 'quoted_status_id'), tweetload_referenced(data, 'quoted'))
        AS quoted_status_id,
      coalesce(data->>'retweet_count', data->'public_metrics'->>'retweet_count')::INTEGER AS retweet_count,
      coalesce(data->>'favorite_count', data->'public_metrics'->>'like_count')::INTEGER AS favorite_count,
      coalesce(data->>'quote_count', data->'public_metrics'->>'quote_count')::INTEGER AS quote_count,
      coalesce(data->>'withheld_copyright', data->'withheld'->>'copyright')::BOOLEAN AS withheld_copyright,
      tweetload_countries(coalesce(data->'withheld_in_countries', data->'withheld'->'country_codes'))
        AS withheld_in_countries,
      data->>'source' AS source,
      tweetload_full_text(data) AS text,
      lower(coalesce(data->'place'->>'country_code', data->'geo'->>'country_code'))::VARCHAR(2)
        AS country_code,
      tweetload_state_code(
        coalesce(data->'place'->>'country_code', data->'geo'->>'country_code'),
        coalesce(data->'place'->>'full_name', data->'geo'->>'full_name')
      ) AS state_code,
      data->>'lang' AS lang,
      coalesce(data->'place'->>'full_name', data->'geo'->>'full_name') AS place_name,
      %s AS geo
    FROM tweets_jsonb
  $view$, geo);
END
$$;

CREATE OR REPLACE VIEW tweet_urls AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, u->>'expanded_url' AS url
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_array(tweetload_entities(t.data)->'urls')) AS u
-- A v2 url entry with a media_key links the attached media: media, not a url.
WHERE u->>'expanded_url' IS NOT NULL AND NOT u ? 'media_key';

-- v1.1 user_mentions, v2 mentions.
CREATE OR REPLACE VIEW tweet_mentions AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, tweetload_id(m, 'id') AS id_users
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_mentions(tweetload_entities(t.data))) AS m
WHERE tweetload_id(m, 'id') IS NOT NULL;

-- Hashtags and cashtags: v1.1 names them hashtags[].text and symbols[].text, v2
-- hashtags[].tag and cashtags[].tag. Two scans joined by UNION ALL, not one scan with
-- a UNION inside a lateral subquery: Citus cannot plan a table function under a union,
-- and the checker reads this view there too. As the loaders: a hashtag or symbol
-- without a string text (v2: tag) gives no tag.
CREATE OR REPLACE VIEW tweet_tags AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, '#' || coalesce(h->>'text', h->>'tag') AS tag
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_array(tweetload_entities(t.data)->'hashtags')) AS h
WHERE jsonb_typeof(coalesce(h->'text', h->'tag')) = 'string'
UNION ALL
SELECT tweetload_id(t.data, 'id') AS id_tweets, '$' || coalesce(s->>'text', s->>'tag') AS tag
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(coalesce(
  tweetload_array(tweetload_entities(t.data)->'symbols'),
  tweetload_array(tweetload_entities(t.data)->'cashtags')
)) AS s
WHERE jsonb_typeof(coalesce(s->'text', s->'tag')) = 'string';

CREATE OR REPLACE VIEW tweet_media AS
SELECT tweetload_id(t.data, 'id') AS id_tweets, tweetload_media_url(m) AS url, m->>'type' AS type
FROM tweets_jsonb AS t
CROSS JOIN LATERAL jsonb_array_elements(tweetload_media(t.data)) AS m
WHERE tweetload_media_url(m) IS NOT NULL;

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
    id AS id_users,
    (u->>'created_at')::TIMESTAMPTZ AS created_at,
    (t.data->>'created_at')::TIMESTAMPTZ AS updated_at,
    CASE WHEN v1 THEN u->>'url' ELSE nullif(u->>'url', '') END AS url,
    coalesce(u->>'friends_count', u->'public_metrics'->>'following_count')::INTEGER AS friends_count,
    coalesce(u->>'listed_count', u->'public_metrics'->>'listed_count')::INTEGER AS listed_count,
    coalesce(u->>'favourites_count', u->'public_metrics'->>'like_count')::INTEGER AS favourites_count,
    coalesce(u->>'statuses_count', u->'public_metrics'->>'tweet_count')::INTEGER AS statuses_count,
    (u->>'protected')::BOOLEAN AS protected,
    (u->>'verified')::BOOLEAN AS verified,
    coalesce(u->>'screen_name', u->>'username') AS screen_name,
    u->>'name' AS name,
    u->>'location' AS location,
    u->>'description' AS description,
    tweetload_countries(coalesce(u->'withheld_in_countries', u->'withheld'->'country_codes'))
      AS withheld_in_countries,
    tweetload_id(t.data, 'id') AS snapshot_tweet_id,
    true AS hydrated,
    0::BIGINT AS position
  FROM tweets_jsonb AS t
  -- v1.1: the user object; v2: the inlined author, whose id is author_id. OFFSET 0 keeps
  -- the planner from inlining u: each u->>'field' would otherwise take the user out of
  -- the whole (compressed) tweet again (the view's scan: 2.2 s -> 1.0 s on the sample).
  CROSS JOIN LATERAL (
    SELECT jsonb_typeof(t.data->'user') = 'object' AS v1,
      CASE WHEN jsonb_typeof(t.data->'user') = 'object' THEN t.data->'user' ELSE t.data->'author' END AS u,
      CASE WHEN jsonb_typeof(t.data->'user') = 'object' THEN tweetload_id(t.data->'user', 'id')
        ELSE coalesce(tweetload_id(t.data, 'author_id'), tweetload_id(t.data->'author', 'id')) END AS id
    OFFSET 0
  ) AS author
  WHERE id IS NOT NULL
  UNION ALL
  SELECT
    tweetload_id(t.data, 'in_reply_to_user_id'), NULL, (t.data->>'created_at')::TIMESTAMPTZ,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    coalesce(t.data->>'in_reply_to_screen_name', t.data->'in_reply_to_user'->>'username'), NULL,
    NULL, NULL, NULL, tweetload_id(t.data, 'id'), false, 1
  FROM tweets_jsonb AS t
  WHERE tweetload_id(t.data, 'in_reply_to_user_id') IS NOT NULL
  UNION ALL
  SELECT
    tweetload_id(m, 'id'), NULL, (t.data->>'created_at')::TIMESTAMPTZ, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, coalesce(m->>'screen_name', m->>'username'),
    -- A v2 mention is unhydrated without a name (flatten's merged name is ignored).
    CASE WHEN jsonb_typeof(t.data->'user') = 'object' THEN m->>'name' END, NULL, NULL, NULL,
    tweetload_id(t.data, 'id'), false, 1 + n
  FROM tweets_jsonb AS t
  CROSS JOIN LATERAL jsonb_array_elements(coalesce(
    tweetload_array(tweetload_entities(t.data)->'user_mentions'),
    tweetload_array(tweetload_entities(t.data)->'mentions')
  )) WITH ORDINALITY AS mentions (m, n)
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
ALTER TABLE tweets_jsonb ADD COLUMN IF NOT EXISTS load_id BIGINT
  DEFAULT nullif(current_setting('tweetload.load_id', true), '')::bigint;

-- Removes the rows of one load (`load --replace`); returns the tweet rows removed.
CREATE OR REPLACE FUNCTION tweetload.forget_load(p_load BIGINT) RETURNS BIGINT
LANGUAGE sql AS $$
  WITH gone AS (DELETE FROM tweets_jsonb WHERE load_id = p_load RETURNING 1)
  SELECT count(*) FROM gone
$$;
