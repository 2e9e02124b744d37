-- pg_normalized on Citus: applied after services/pg_normalized/schema.sql by
-- `tweetload db reset --citus`.
--
-- tweets and the four tweet_* tables are co-located on id_tweets, their foreign keys to
-- tweets kept (Citus enforces them inside each shard group). users are distributed on
-- id_users and urls on id_urls. Citus keeps no foreign key between tables distributed on
-- different columns, so those to users and urls go: the loaders write a tweet's users and
-- urls before or with the tweet, as on a plain server.
--
-- urls: a plain server numbers urls from a sequence and finds a url's id by its UNIQUE
-- index; here both would cost a cluster-wide step per new url (a unique index must hold the
-- distribution column, and a reference table is written by a two-phase commit to every
-- node). Instead a url's id is a hash of the url (tweetload_url_id), so a loader computes
-- every id without a lookup and a new url is one row on one shard. Distinct urls could
-- share an id only if their 64-bit hashes collide: about 1 in 37 for a billion distinct urls
-- that at least one pair does (their rows would then be merged into the first url).
CREATE OR REPLACE FUNCTION tweetload_url_id(url text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ('x' || substr(md5(url), 1, 16))::bit(64)::bigint
$$;

DROP MATERIALIZED VIEW IF EXISTS tweet_tags_total;
DROP MATERIALIZED VIEW IF EXISTS tweet_tags_cooccurrence;

-- Every foreign key to users or urls, and the UNIQUE (url) of urls, whatever their names.
DO $$
DECLARE
  item RECORD;
BEGIN
  FOR item IN
    SELECT conrelid::regclass AS tab, conname
      FROM pg_constraint
     WHERE (contype = 'f' AND confrelid IN ('users'::regclass, 'urls'::regclass))
        OR (contype = 'u' AND conrelid = 'urls'::regclass)
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', item.tab, item.conname);
  END LOOP;
END
$$;
ALTER TABLE urls ALTER COLUMN id_urls DROP DEFAULT;
DROP SEQUENCE IF EXISTS urls_id_urls_seq;

SELECT create_distributed_table('tweets', 'id_tweets', colocate_with => 'none');
SELECT create_distributed_table('tweet_urls', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('tweet_mentions', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('tweet_tags', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('tweet_media', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('users', 'id_users', colocate_with => 'tweets');
SELECT create_distributed_table('urls', 'id_urls', colocate_with => 'tweets');
