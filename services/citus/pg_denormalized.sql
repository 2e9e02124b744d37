-- pg_denormalized on Citus: applied after services/pg_denormalized/schema.sql by
-- `tweetload db reset --citus`. tweets_jsonb gets the tweet's id as a column of its own,
-- the distribution column: Citus cannot distribute on an expression or a generated column,
-- and allows no trigger to fill one, so the loader reads the id from each line and sends it
-- beside the document (src/load/denormalized/). On a plain server the column does not
-- exist and the loader sends the raw bytes alone, as before.
ALTER TABLE tweets_jsonb ADD COLUMN IF NOT EXISTS id_tweets BIGINT;
-- The column must be the id the document holds, read as every loader reads one
-- (tweetload_id_text: the id_str twin when it is digits, else id, 5.0 being 5): the server
-- refuses a row where they differ.
ALTER TABLE tweets_jsonb DROP CONSTRAINT IF EXISTS tweets_jsonb_id_matches;
ALTER TABLE tweets_jsonb ADD CONSTRAINT tweets_jsonb_id_matches CHECK (
  coalesce(id_tweets = tweetload_id_text(data, 'id')::numeric, false)
);

SELECT create_distributed_table('tweets_jsonb', 'id_tweets', colocate_with => 'none');
