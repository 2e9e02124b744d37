-- urls.sql on Citus (pg_normalized laid out by services/citus/pg_normalized.sql): a url's
-- id is tweetload_url_id(url), so the batch's urls are inserted by id without looking at
-- tweets or urls on other shards (Citus refuses the correlated subqueries of ../urls.sql).
-- Urls of tweets loaded before are already present, so ON CONFLICT skips them alike.
INSERT INTO urls (id_urls, url)
SELECT DISTINCT tweetload_url_id(p.url), p.url
  FROM unnest($1::bigint[], $2::text[]) AS p (id_tweets, url)
 ORDER BY 1
ON CONFLICT (id_urls) DO NOTHING
