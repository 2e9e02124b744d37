-- pg_normalized_batch on Citus: applied after services/pg_normalized_batch/schema.sql by
-- `tweetload db reset --citus`. The tweet tables are co-located on id_tweets, so a
-- tweet's rows live in one shard group and the checker's joins on id_tweets run on each
-- worker without moving rows; users are distributed on id_users. The schema has no key
-- constraints, so nothing has to change before distributing. citus.shard_count is set
-- by the caller (--shards).
--
-- The two materialized views go first: Citus cannot distribute a table that a
-- materialized view depends on. The schema file, applied again afterwards, makes them
-- anew (they stay local tables on the coordinator, refreshed after a load as before).
DROP MATERIALIZED VIEW IF EXISTS tweet_tags_total;
DROP MATERIALIZED VIEW IF EXISTS tweet_tags_cooccurrence;

SELECT create_distributed_table('tweets', 'id_tweets', colocate_with => 'none');
SELECT create_distributed_table('tweet_urls', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('tweet_mentions', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('tweet_tags', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('tweet_media', 'id_tweets', colocate_with => 'tweets');
SELECT create_distributed_table('users', 'id_users', colocate_with => 'tweets');
