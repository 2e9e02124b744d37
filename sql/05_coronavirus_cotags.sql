-- Tags that occur together with #coronavirus (any letter case), with the
-- number of distinct tweets they share with it. #coronavirus itself, in any
-- letter case, is left out. Ties in byte order of the tag.
-- The distinct (tweet, tag) pairs are read once: on pg_denormalized every
-- read of tweet_tags expands the JSON again.
WITH pairs AS MATERIALIZED (
  SELECT DISTINCT id_tweets, tag FROM tweet_tags
),
corona AS (
  SELECT DISTINCT id_tweets FROM pairs WHERE lower(tag) = '#coronavirus'
)
SELECT p.tag, count(*) AS tweets
FROM pairs AS p
JOIN corona AS c ON c.id_tweets = p.id_tweets
WHERE lower(p.tag) <> '#coronavirus'
GROUP BY p.tag
ORDER BY tweets DESC, p.tag COLLATE "C";
