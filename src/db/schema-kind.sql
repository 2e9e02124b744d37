-- Which of tweetload's three schemas the database holds, from the relations that tell
-- them apart: only pg_denormalized has the table tweets_jsonb (its tweets is a view),
-- only pg_normalized has the table urls, pg_normalized_batch has a table tweets and no urls.
SELECT
  (SELECT relkind::text FROM pg_class WHERE oid = to_regclass('tweets_jsonb')) AS tweets_jsonb,
  (SELECT relkind::text FROM pg_class WHERE oid = to_regclass('tweets')) AS tweets,
  (SELECT relkind::text FROM pg_class WHERE oid = to_regclass('urls')) AS urls
