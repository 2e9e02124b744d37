-- pg_denormalized: one row per input line, the tweet as JSONB, and views that
-- present it with the same names and columns as the tables of pg_normalized.
--
-- The views follow the "From a tweet to rows" rules of the data contract, and read
-- each value as the loaders do (docs/line-rules.md), so the three databases answer the
-- checker's queries alike. JSONB keeps numbers as numeric, so tweetload_id(data, 'id')
-- is exact for 64-bit ids.
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

-- The digits of a 64-bit id the way the loaders read one (src/transform/exact-json.ts,
-- docs/line-rules.md): the `<key>_str` twin when it is a string of digits, else `<key>` as
-- a whole number (jsonb spells 5.0 as 5.0: the whole part is the id) or a string of
-- digits; otherwise NULL. The loaders reject a line whose ids are anything else, so the
-- views only meet these forms.
CREATE OR REPLACE FUNCTION tweetload_id_text(value JSONB, key TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(value -> (key || '_str')) = 'string' AND (value ->> (key || '_str')) ~ '^-?[0-9]+$'
      THEN value ->> (key || '_str')
    WHEN jsonb_typeof(value -> key) = 'number' AND (value ->> key) ~ '^-?[0-9]+(\.0+)?$'
      THEN split_part(value ->> key, '.', 1)
    WHEN jsonb_typeof(value -> key) = 'string' AND (value ->> key) ~ '^-?[0-9]+$'
      THEN value ->> key
  END
$$;

-- An id as the views read it: the same digits the loaders read.
CREATE OR REPLACE FUNCTION tweetload_id(value JSONB, key TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT tweetload_id_text(value, key)::BIGINT
$$;

-- tweets_jsonb holds only lines the loader accepted: every line is judged on the client
-- by the rules every loader applies (docs/line-rules.md, src/load/denormalized/
-- screen-lines.ts), before COPY, so no CHECK runs per row. Measured on 20,000 sample
-- lines, the CHECK that refused non-tweets cost the server more per row (55 microseconds, about two
-- thirds of parsing the jsonb) than judging a line costs the client (22 microseconds).
--
-- A new table stores its rows inline (src/db/storage.ts, docs/timing.md "Storage of
-- pg_denormalized"): a row up to 8,160 bytes stays uncompressed in its page, which answered
-- the checker's queries faster than pglz or lz4 and loaded as fast, for about twice the
-- bytes. `tweetload db reset --storage pglz|lz4` chooses otherwise; a table made before
-- keeps its storage (pglz, PostgreSQL's default).
CREATE TABLE IF NOT EXISTS tweets_jsonb (
  data JSONB NOT NULL
) WITH (toast_tuple_target = 8160);

-- A database made before keeps its rows; the CHECK and its functions go.
ALTER TABLE tweets_jsonb DROP CONSTRAINT IF EXISTS tweets_jsonb_is_tweet;
DROP FUNCTION IF EXISTS tweetload_is_tweet(JSONB);
DROP FUNCTION IF EXISTS tweetload_has_author(JSONB);
DROP FUNCTION IF EXISTS tweetload_has_id(JSONB);
DROP FUNCTION IF EXISTS tweetload_fits_bigint(TEXT);

-- Helpers for the views. Each is one expression, so the planner inlines it.

-- The value when it is a JSON array, else NULL (a JSON null or a missing key
-- must give no rows, not an error).
CREATE OR REPLACE FUNCTION tweetload_array(value JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN jsonb_typeof(value) = 'array' THEN value END
$$;

-- v1.1 and v2 tweets share these views. A v2 tweet is stored flattened (twarc2
-- flatten's shape: author, mentions' users, attachments.media and the place in geo
-- inlined). A row is read by its era, as the loaders tell it (src/transform/v2/shape.ts):
-- v1.1 when it has a `user` object, else v2; each column then reads only its era's keys,
-- so a stray key of the other era is never read (docs/line-rules.md, "One reading").
CREATE OR REPLACE FUNCTION tweetload_is_v1(tweet JSONB) RETURNS BOOLEAN
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT jsonb_typeof(tweet->'user') = 'object'
$$;

-- Entities come from extended_tweet when a v1.1 tweet has one, from note_tweet when a v2
-- tweet has one.
CREATE OR REPLACE FUNCTION tweetload_entities(tweet JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN tweetload_is_v1(tweet) THEN CASE
      WHEN jsonb_typeof(tweet->'extended_tweet') = 'object' THEN tweet->'extended_tweet'->'entities'
      ELSE tweet->'entities' END
    WHEN jsonb_typeof(tweet->'note_tweet') = 'object' THEN tweet->'note_tweet'->'entities'
    ELSE tweet->'entities'
  END
$$;

CREATE OR REPLACE FUNCTION tweetload_full_text(tweet JSONB, v1 BOOLEAN) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN v1 THEN CASE
      WHEN jsonb_typeof(tweet->'extended_tweet') = 'object' THEN tweet->'extended_tweet'->>'full_text'
      ELSE tweet->>'text' END
    WHEN jsonb_typeof(tweet->'note_tweet') = 'object' THEN tweet->'note_tweet'->>'text'
    ELSE tweet->>'text'
  END
$$;

-- v1.1 media entities (extended_tweet's, else the tweet's; before 2014, when
-- extended_entities came, the entities'), v2's attachments.media (inlined from includes).
CREATE OR REPLACE FUNCTION tweetload_media(tweet JSONB) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN tweetload_is_v1(tweet) THEN coalesce(
      tweetload_array(tweet->'extended_tweet'->'extended_entities'->'media'),
      tweetload_array(tweet->'extended_entities'->'media'),
      tweetload_array(CASE WHEN jsonb_typeof(tweet->'extended_tweet') = 'object'
                           THEN tweet->'extended_tweet'->'entities'
                           ELSE tweet->'entities' END->'media'))
    ELSE tweetload_array(tweet->'attachments'->'media')
  END
$$;

-- The mentions of a tweet's entities: v1.1 user_mentions, v2 mentions.
CREATE OR REPLACE FUNCTION tweetload_mentions(entities JSONB, v1 BOOLEAN) RETURNS JSONB
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT tweetload_array(CASE WHEN v1 THEN entities->'user_mentions' ELSE entities->'mentions' END)
$$;

-- A media object's url: v1.1's media_url; v2's url (photos), else preview_image_url
-- (videos, GIFs).
CREATE OR REPLACE FUNCTION tweetload_media_url(media JSONB, v1 BOOLEAN) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v1 THEN media->>'media_url'
    ELSE coalesce(media->>'url', media->>'preview_image_url') END
$$;

-- The id of a v2 tweet's first referenced tweet of a type (replied_to, quoted): the
-- first entry whose type is that string, as the loaders read it.
CREATE OR REPLACE FUNCTION tweetload_referenced(tweet JSONB, kind TEXT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT tweetload_id(ref, 'id')
  FROM jsonb_array_elements(tweetload_array(tweet->'referenced_tweets')) WITH ORDINALITY AS refs (ref, n)
  WHERE jsonb_typeof(ref->'type') = 'string' AND ref->>'type' = kind
  ORDER BY n
  LIMIT 1
$$;

CREATE OR REPLACE FUNCTION tweetload_countries(value JSONB) RETURNS VARCHAR(2)[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(value) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(value))::VARCHAR(2)[]
  END
$$;

-- For US places: the last comma-separated part of full_name, trimmed and lower-cased,
-- when it is at most two characters long. Lower-cased under COLLATE "C" (A-Z only), as
-- the loaders do, whatever the server's locale.
CREATE OR REPLACE FUNCTION tweetload_state_code(country_code TEXT, full_name TEXT) RETURNS VARCHAR(2)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN lower(country_code COLLATE "C") = 'us'
      AND length(btrim(regexp_replace(full_name, '^.*,', ''), E' \t\r\n')) <= 2
    THEN lower(btrim(regexp_replace(full_name, '^.*,', ''), E' \t\r\n') COLLATE "C")::VARCHAR(2)
      COLLATE "default"
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

-- v1.1: the point of `coordinates` (GeoJSON, longitude first), else the place's bounding
-- box as a closed MULTIPOLYGON, else NULL; as WKT. v2: the point of geo.coordinates, else
-- the box of the place's bbox [w, s, e, n], as the ring (w s, w n, e n, e s, w s).
CREATE OR REPLACE FUNCTION tweetload_geo_wkt(tweet JSONB) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN tweetload_is_v1(tweet) THEN coalesce(
    'POINT(' || tweetload_position_wkt(tweet->'coordinates'->'coordinates') || ')',
    (SELECT CASE WHEN count(*) > 0 AND bool_and(tweetload_ring_wkt(ring) IS NOT NULL) THEN
       'MULTIPOLYGON((' || string_agg(tweetload_ring_wkt(ring), ',' ORDER BY n) || '))'
     END
     FROM jsonb_array_elements(
       tweetload_array(tweet->'place'->'bounding_box'->'coordinates')
     ) WITH ORDINALITY AS rings (ring, n)))
  ELSE coalesce(
    'POINT(' || tweetload_position_wkt(tweet->'geo'->'coordinates'->'coordinates') || ')',
    (SELECT 'MULTIPOLYGON((' || tweetload_ring_wkt(jsonb_build_array(
       jsonb_build_array(b->0, b->1), jsonb_build_array(b->0, b->3),
       jsonb_build_array(b->2, b->3), jsonb_build_array(b->2, b->1))) || '))'
     FROM (SELECT tweet->'geo'->'geo'->'bbox' AS b) AS box
     WHERE jsonb_array_length(tweetload_array(b)) >= 4))
  END
$$;

-- Every view reads each stored tweet once through tweetload_docs: its id, its era and its
-- entities, from its document taken out of compressed storage once ('{}' || data returns
-- data itself, decompressed). Each data->'key' on the stored (compressed) value would
-- decompress the whole tweet again, and a column reads several keys. OFFSET 0 keeps the
-- lateral subqueries apart, so each value is computed once per tweet (not once per tag
-- of it), and only when a query reads it; a lateral subquery, as the users view had
-- before, since Citus plans a view whose own OFFSET is 0 by pulling the whole table.
--
-- The planner counts one distinct value in a column of that one-row subquery, so a
-- DISTINCT or a join on the tweet id read there was planned for one row: query 10 looped
-- over the users view once per #coronavirus tweet (PostgreSQL 17, 20,027 tweets: 59 s,
-- 4.5 s with the id read from the table's own column). Where rows are stored inline
-- (uncompressed), the id is read from the table's column, which costs no decompression;
-- in pglz or lz4 reading it there decompresses the tweet for each key the id reads
-- (measured: the ten queries 1.5x slower), so it stays in the subquery. The view is made
-- again whenever the storage changes (src/db/storage-*.sql).
CREATE OR REPLACE FUNCTION tweetload_make_docs_view() RETURNS VOID
LANGUAGE plpgsql AS $fn$
DECLARE
  id TEXT := CASE
    WHEN EXISTS (
      SELECT 1 FROM pg_class AS c, pg_options_to_table(c.reloptions)
      WHERE c.oid = to_regclass('tweets_jsonb') AND option_name = 'toast_tuple_target')
      THEN $$tweetload_id(stored.data, 'id')$$
    ELSE 'doc.id'
  END;
BEGIN
  EXECUTE format($view$
    CREATE OR REPLACE VIEW tweetload_docs AS
    SELECT %s AS id, doc.v1, doc.data, doc.entities
    FROM tweets_jsonb AS stored
    CROSS JOIN LATERAL (
      SELECT tweetload_id(t.data, 'id') AS id, tweetload_is_v1(t.data) AS v1, t.data,
        tweetload_entities(t.data) AS entities
      FROM (SELECT '{}'::JSONB || stored.data AS data OFFSET 0) AS t
      OFFSET 0
    ) AS doc
  $view$, id);
END
$fn$;
SELECT tweetload_make_docs_view();

-- geo is geometry or text depending on the mode, so this view is built here.
DO $$
DECLARE
  geo TEXT := CASE
    WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')
      THEN 'ST_GeomFromText(tweetload_geo_wkt(t.data), 4326)'
    ELSE 'tweetload_geo_wkt(t.data)'
  END;
BEGIN
  EXECUTE format($view$
    CREATE OR REPLACE VIEW tweets AS
    SELECT
      t.id AS id_tweets,
      coalesce(tweetload_id(t.data->'user', 'id'), tweetload_id(t.data, 'author_id'),
        tweetload_id(t.data->'author', 'id')) AS id_users,
      (t.data->>'created_at')::TIMESTAMPTZ AS created_at,
      CASE WHEN tweetload_is_v1(t.data) THEN tweetload_id(t.data, 'in_reply_to_status_id')
        ELSE tweetload_referenced(t.data, 'replied_to') END AS in_reply_to_status_id,
      tweetload_id(t.data, 'in_reply_to_user_id') AS in_reply_to_user_id,
      CASE WHEN tweetload_is_v1(t.data) THEN tweetload_id(t.data, 'quoted_status_id')
        ELSE tweetload_referenced(t.data, 'quoted') END AS quoted_status_id,
      (CASE WHEN tweetload_is_v1(t.data) THEN t.data->>'retweet_count'
        ELSE t.data->'public_metrics'->>'retweet_count' END)::NUMERIC::INTEGER AS retweet_count,
      (CASE WHEN tweetload_is_v1(t.data) THEN t.data->>'favorite_count'
        ELSE t.data->'public_metrics'->>'like_count' END)::NUMERIC::INTEGER AS favorite_count,
      (CASE WHEN tweetload_is_v1(t.data) THEN t.data->>'quote_count'
        ELSE t.data->'public_metrics'->>'quote_count' END)::NUMERIC::INTEGER AS quote_count,
      (CASE WHEN tweetload_is_v1(t.data) THEN t.data->>'withheld_copyright'
        ELSE t.data->'withheld'->>'copyright' END)::BOOLEAN AS withheld_copyright,
      tweetload_countries(CASE WHEN tweetload_is_v1(t.data) THEN t.data->'withheld_in_countries'
        ELSE t.data->'withheld'->'country_codes' END) AS withheld_in_countries,
      t.data->>'source' AS source,
      tweetload_full_text(t.data, tweetload_is_v1(t.data)) AS text,
      lower((CASE WHEN tweetload_is_v1(t.data) THEN t.data->'place'->>'country_code'
        ELSE t.data->'geo'->>'country_code' END) COLLATE "C")::VARCHAR(2) COLLATE "default"
        AS country_code,
      tweetload_state_code(
        CASE WHEN tweetload_is_v1(t.data) THEN t.data->'place'->>'country_code' ELSE t.data->'geo'->>'country_code' END,
        CASE WHEN tweetload_is_v1(t.data) THEN t.data->'place'->>'full_name' ELSE t.data->'geo'->>'full_name' END
      ) AS state_code,
      t.data->>'lang' AS lang,
      CASE WHEN tweetload_is_v1(t.data) THEN t.data->'place'->>'full_name' ELSE t.data->'geo'->>'full_name' END
        AS place_name,
      %s AS geo
    FROM tweetload_docs AS t
  $view$, geo);
END
$$;

-- The views of a tweet's lists take the list in a subquery of its own (OFFSET 0): the list,
-- not the document, is then the one thing the set-returning function depends on. With
-- the document there, the planner cached the function's rows keyed by the whole document
-- (a 15 MB line: 2.5 s and 440 MB for query 10 alone).

CREATE OR REPLACE VIEW tweet_urls AS
SELECT d.id AS id_tweets, u->>'expanded_url' AS url
FROM tweetload_docs AS d
CROSS JOIN LATERAL (SELECT tweetload_array(d.entities->'urls') AS list OFFSET 0) AS r
CROSS JOIN LATERAL jsonb_array_elements(r.list) AS u
-- A v2 url entry with a media_key links the attached media: media, not a url.
WHERE u->>'expanded_url' IS NOT NULL AND (d.v1 OR NOT u ? 'media_key');

-- v1.1 user_mentions, v2 mentions.
CREATE OR REPLACE VIEW tweet_mentions AS
SELECT d.id AS id_tweets, tweetload_id(m, 'id') AS id_users
FROM tweetload_docs AS d
CROSS JOIN LATERAL (SELECT tweetload_mentions(d.entities, d.v1) AS list OFFSET 0) AS r
CROSS JOIN LATERAL jsonb_array_elements(r.list) AS m
WHERE tweetload_id(m, 'id') IS NOT NULL;

-- Hashtags and cashtags: v1.1 names them hashtags[].text and symbols[].text, v2
-- hashtags[].tag and cashtags[].tag. Two scans joined by UNION ALL, not one scan with
-- a UNION inside a lateral subquery: Citus cannot plan a table function under a union,
-- and the checker reads this view there too. As the loaders: a hashtag or symbol
-- without a text (v2: tag) gives no tag.
CREATE OR REPLACE VIEW tweet_tags AS
SELECT d.id AS id_tweets, '#' || CASE WHEN d.v1 THEN h->>'text' ELSE h->>'tag' END AS tag
FROM tweetload_docs AS d
CROSS JOIN LATERAL (SELECT tweetload_array(d.entities->'hashtags') AS list OFFSET 0) AS r
CROSS JOIN LATERAL jsonb_array_elements(r.list) AS h
WHERE CASE WHEN d.v1 THEN h->>'text' ELSE h->>'tag' END IS NOT NULL
UNION ALL
SELECT d.id AS id_tweets, '$' || CASE WHEN d.v1 THEN s->>'text' ELSE s->>'tag' END AS tag
FROM tweetload_docs AS d
CROSS JOIN LATERAL (
  SELECT tweetload_array(CASE WHEN d.v1 THEN d.entities->'symbols' ELSE d.entities->'cashtags' END)
    AS list
  OFFSET 0
) AS r
CROSS JOIN LATERAL jsonb_array_elements(r.list) AS s
WHERE CASE WHEN d.v1 THEN s->>'text' ELSE s->>'tag' END IS NOT NULL;

CREATE OR REPLACE VIEW tweet_media AS
SELECT d.id AS id_tweets, tweetload_media_url(m, d.v1) AS url, m->>'type' AS type
FROM tweetload_docs AS d
CROSS JOIN LATERAL (SELECT tweetload_media(d.data) AS list OFFSET 0) AS r
CROSS JOIN LATERAL jsonb_array_elements(r.list) AS m
WHERE tweetload_media_url(m, d.v1) IS NOT NULL;

-- Every user a tweet names: its author (hydrated), the user it replies to (id
-- and screen name only) and the users it mentions (id, name, screen name), each
-- with updated_at = the tweet's created_at. Per id the contract's snapshot rule picks
-- one, the greatest tweetload_snapshot_rank (services/user-snapshot.sql: hydrated before
-- unhydrated, then the latest tweet, a missing created_at the earliest, then the greatest
-- tweet id), then, inside one tweet, the order
-- the loaders keep (author, reply target, mentions in order). snapshot_tweet_id and
-- hydrated say where the row came from, as the columns of pg_normalized do.
CREATE OR REPLACE VIEW users AS
SELECT DISTINCT ON (id_users)
  id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count,
  statuses_count, protected, verified, screen_name, name, location, description,
  withheld_in_countries, snapshot_tweet_id, hydrated
FROM (
  SELECT
    author.id AS id_users,
    (u->>'created_at')::TIMESTAMPTZ AS created_at,
    (d.data->>'created_at')::TIMESTAMPTZ AS updated_at,
    CASE WHEN v1 THEN u->>'url' ELSE nullif(u->>'url', '') END AS url,
    (CASE WHEN v1 THEN u->>'friends_count' ELSE u->'public_metrics'->>'following_count' END)
      ::NUMERIC::INTEGER AS friends_count,
    (CASE WHEN v1 THEN u->>'listed_count' ELSE u->'public_metrics'->>'listed_count' END)
      ::NUMERIC::INTEGER AS listed_count,
    (CASE WHEN v1 THEN u->>'favourites_count' ELSE u->'public_metrics'->>'like_count' END)
      ::NUMERIC::INTEGER AS favourites_count,
    (CASE WHEN v1 THEN u->>'statuses_count' ELSE u->'public_metrics'->>'tweet_count' END)
      ::NUMERIC::INTEGER AS statuses_count,
    (u->>'protected')::BOOLEAN AS protected,
    (u->>'verified')::BOOLEAN AS verified,
    CASE WHEN v1 THEN u->>'screen_name' ELSE u->>'username' END AS screen_name,
    u->>'name' AS name,
    u->>'location' AS location,
    u->>'description' AS description,
    tweetload_countries(CASE WHEN v1 THEN u->'withheld_in_countries'
      ELSE u->'withheld'->'country_codes' END) AS withheld_in_countries,
    d.id AS snapshot_tweet_id,
    true AS hydrated,
    0::BIGINT AS position
  FROM tweetload_docs AS d
  -- v1.1: the user object; v2: the inlined author, whose id is author_id.
  CROSS JOIN LATERAL (
    SELECT CASE WHEN d.v1 THEN d.data->'user' ELSE d.data->'author' END AS u,
      CASE WHEN d.v1 THEN tweetload_id(d.data->'user', 'id')
        ELSE coalesce(tweetload_id(d.data, 'author_id'), tweetload_id(d.data->'author', 'id')) END AS id
  ) AS author
  WHERE author.id IS NOT NULL
  UNION ALL
  SELECT
    tweetload_id(d.data, 'in_reply_to_user_id'), NULL, (d.data->>'created_at')::TIMESTAMPTZ,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    CASE WHEN d.v1 THEN d.data->>'in_reply_to_screen_name'
      ELSE d.data->'in_reply_to_user'->>'username' END, NULL,
    NULL, NULL, NULL, d.id, false, 1
  FROM tweetload_docs AS d
  WHERE tweetload_id(d.data, 'in_reply_to_user_id') IS NOT NULL
  UNION ALL
  SELECT
    tweetload_id(m, 'id'), NULL, (d.data->>'created_at')::TIMESTAMPTZ, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, CASE WHEN d.v1 THEN m->>'screen_name' ELSE m->>'username' END,
    -- A v2 mention is unhydrated without a name (flatten's merged name is ignored).
    CASE WHEN d.v1 THEN m->>'name' END, NULL, NULL, NULL, d.id, false, 1 + n
  FROM tweetload_docs AS d
  CROSS JOIN LATERAL (SELECT tweetload_mentions(d.entities, d.v1) AS list OFFSET 0) AS r
  CROSS JOIN LATERAL jsonb_array_elements(r.list) WITH ORDINALITY AS mentions (m, n)
  WHERE tweetload_id(m, 'id') IS NOT NULL
) AS sightings
-- Greatest tweetload_snapshot_rank first (services/user-snapshot.sql), field by field: the
-- inlined function makes this a sort of its three coalesced columns.
ORDER BY id_users,
  (tweetload_snapshot_rank(hydrated, updated_at, snapshot_tweet_id)).hydrated DESC,
  (tweetload_snapshot_rank(hydrated, updated_at, snapshot_tweet_id)).updated_at DESC,
  (tweetload_snapshot_rank(hydrated, updated_at, snapshot_tweet_id)).snapshot_tweet_id DESC,
  position;

-- Plain views here (the data is only in tweets_jsonb); same columns as the
-- materialized views of the other two databases. Counted on distinct (tweet,
-- tag) pairs, deduplicated before the self-join: a tweet on many lines would
-- otherwise pair every copy with every other copy (quadratic in the copies).
-- A tweet holds at most 250 tags (docs/line-rules.md), so one tweet adds at most
-- 62,500 pairs.
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

-- No JIT compilation in this database (new sessions). The planner guesses 100 rows for each
-- jsonb_array_elements, so the views' estimates (2 million user rows for 20,000 tweets)
-- pass every JIT threshold; compiling then took 4.7 s of query 10's 5.9 s on 20,000 copies
-- of one tweet on PostgreSQL 15, while the work is in jsonb functions JIT cannot speed up
-- (docs/timing.md, "Storage of pg_denormalized"). Skipped where the role may not alter the
-- database, and on Citus, whose workers plan each shard's query with their own settings.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'this role may not alter the database: JIT stays as the server sets it';
END
$$;

-- A database made before had these functions with other arguments; the views above no
-- longer call them.
DROP FUNCTION IF EXISTS tweetload_full_text(JSONB);
DROP FUNCTION IF EXISTS tweetload_mentions(JSONB);
DROP FUNCTION IF EXISTS tweetload_media_url(JSONB);

-- The load journal (tweetload.journal, tweetload.journal_chunks) and its upgrades are in
-- services/journal.sql, the same for every database, applied before this file.

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
