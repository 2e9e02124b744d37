-- Number of distinct (tweet, media url) pairs.
-- pg_normalized names the url by id_urls (a key of urls), pg_normalized_batch
-- and the views of pg_denormalized hold the url itself. Either identifies the
-- url, so the row minus id_tweets, type and load_id (the load a row came from,
-- bookkeeping for `load --replace`) is the url in whichever form this database
-- keeps it, and one query text fits all three.
SELECT count(*) AS media
FROM (
  SELECT DISTINCT m.id_tweets, to_jsonb(m) - 'id_tweets' - 'type' - 'load_id' AS media_url
  FROM tweet_media AS m
) AS pairs;
