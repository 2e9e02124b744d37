-- What one tweet writes to ONE shard group of pg_normalized on Citus, one statement per call
-- (src/load/normalized/shard-groups.ts groups a tweet's rows by Citus's hash). The shard
-- tables are named by format() placeholders: %1$s tweets, %2$s urls, %3$s users,
-- %4$s tweet_urls, %5$s tweet_mentions, %6$s tweet_tags, %7$s tweet_media, and %8$s is the
-- group's shard id of tweets. The per-tweet loader prepares it once per shard group on its
-- connection to the node holding the group (src/load/normalized/direct-calls.ts);
-- tweetload_load_group (load-tweet-citus.sql) prepares the same text where a call goes
-- through the coordinator. Parameters: load-tweet-citus.sql's, in its order: $1 g_key, $2
-- t_here, then the tweet's columns from $3 ($3 id_tweets, $4 id_users, $5 created_at), then
-- $T+1 a_here and the rest (src/load/tweet-sql.ts numbers them from the table's columns).
--
-- Shard tables rather than the distributed ones: a statement on a distributed table costs a
-- Citus plan even when its shard is local (measured on a worker: 2,280 single-row upserts/s
-- through the distributed table, 10,400/s on the shard), and a tweet writes about ten rows.
-- Writing a shard directly bypasses the lock by which Citus keeps writes off a shard it is
-- moving or splitting, so the statement takes it first (`here`): every write reads `here`
-- (through `tweet` or `go`), which fails when the shard has left this node; the loader then
-- reads the placement again and sends the tweet where it now is.
--
-- When the tweet is already present its group writes nothing; the other groups' upserts
-- are idempotent (urls: DO NOTHING; users: the snapshot rule keeps the greatest snapshot,
-- which that tweet's first load already wrote). Locks in one order - the tweet, urls by id,
-- users by id - inside one shard group, and no transaction spans two groups, so concurrent
-- calls never deadlock.
WITH here AS (
  -- First of all: the group's shards are on this node, checked under the lock a shard move
  -- takes before it switches them over (tweetload.shard_here); $1 is the group's key.
  SELECT tweetload.shard_here(%8$s) AS ok, $1::bigint AS g_key
), tweet AS (
  INSERT INTO %1$s (@TWEET_COLUMNS@)
  SELECT @TWEET_PLACEHOLDERS:3@
    FROM here WHERE $2
  ON CONFLICT (id_tweets) DO NOTHING
  RETURNING id_tweets
), go AS (
  SELECT (SELECT ok FROM here) AND (NOT $2 OR EXISTS (SELECT 1 FROM tweet)) AS go
), new_urls AS (
  INSERT INTO %2$s (id_urls, url)
  SELECT u.id, u.url FROM go, unnest($T+18::bigint[], $T+19::text[]) AS u (id, url)
   WHERE go.go ORDER BY u.id
  ON CONFLICT (id_urls) DO NOTHING
), new_users AS (
  -- The snapshot rule of load-tweet.sql (docs/contract/tweet-to-rows.md).
  INSERT INTO %3$s AS users (id_users, created_at, updated_at, id_urls, friends_count,
                     listed_count, favourites_count, statuses_count, protected, verified,
                     screen_name, name, location, description, withheld_in_countries,
                     snapshot_tweet_id, hydrated)
  SELECT * FROM (
    SELECT $4, $T+2, $5, $T+3, $T+4, $T+5, $T+6, $T+7, $T+8, $T+9, $T+10, $T+11, $T+12,
           $T+13, $T+14, $3, true
     WHERE $T+1
    UNION ALL
    SELECT o.id, NULL::timestamptz, $5, NULL::bigint, NULL::integer, NULL::integer,
           NULL::integer, NULL::integer, NULL::boolean, NULL::boolean, o.screen_name,
           o.name, NULL::text, NULL::text, NULL::varchar(2)[], $3, false
      FROM unnest($T+15::bigint[], $T+16::text[], $T+17::text[]) AS o (id, screen_name, name)
  ) AS rows (id_users)
  WHERE (SELECT go FROM go)
  ORDER BY id_users
  @USERS_NEWER_SNAPSHOT@
), new_links AS (
  INSERT INTO %4$s (id_tweets, id_urls) SELECT tweet.id_tweets, u FROM tweet, unnest($T+20::bigint[]) AS u
), new_mentions AS (
  INSERT INTO %5$s (id_tweets, id_users) SELECT tweet.id_tweets, m FROM tweet, unnest($T+21::bigint[]) AS m
), new_tags AS (
  INSERT INTO %6$s (id_tweets, tag) SELECT tweet.id_tweets, t FROM tweet, unnest($T+22::text[]) AS t
), new_media AS (
  INSERT INTO %7$s (id_tweets, id_urls, type)
  SELECT tweet.id_tweets, m.id, m.type
    FROM tweet, unnest($T+23::bigint[], $T+24::text[]) AS m (id, type)
)
SELECT count(*) FROM tweet
