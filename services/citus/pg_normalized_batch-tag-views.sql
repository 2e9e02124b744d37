-- The tag views of pg_normalized_batch on Citus: applied by `tweetload db reset --citus` (and
-- `db init --citus`) after the schema, in place of services/pg_normalized_batch's forms. The
-- same rows: tweet_tags counted on distinct (tweet, tag) pairs. There the pairs are a CTE,
-- which Citus pulls whole to the coordinator to refresh the views after every load; as
-- subqueries on the distribution column (id_tweets) each worker makes its shard's pairs and
-- counts, and the coordinator merges counts per tag (pair). Measured on 20,000 tweets: the
-- coordinator's CPU for both refreshes 0.12 s with the CTE, 0.03-0.06 s without.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_matviews
              WHERE schemaname = current_schema() AND matviewname = 'tweet_tags_cooccurrence'
                AND definition LIKE '%WITH pairs%') THEN
    DROP MATERIALIZED VIEW tweet_tags_cooccurrence;
    DROP MATERIALIZED VIEW IF EXISTS tweet_tags_total;
  END IF;
END
$$;

CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_total AS
SELECT
  row_number() OVER (ORDER BY count(*) DESC, tag) AS row,
  tag,
  count(*) AS total
FROM (SELECT DISTINCT id_tweets, tag FROM tweet_tags) AS pairs
GROUP BY tag;

CREATE MATERIALIZED VIEW IF NOT EXISTS tweet_tags_cooccurrence AS
SELECT
  pairs_1.tag AS tag1,
  pairs_2.tag AS tag2,
  count(*) AS total
FROM (SELECT DISTINCT id_tweets, tag FROM tweet_tags) AS pairs_1
JOIN (SELECT DISTINCT id_tweets, tag FROM tweet_tags) AS pairs_2
  ON pairs_2.id_tweets = pairs_1.id_tweets
GROUP BY pairs_1.tag, pairs_2.tag;
