-- The tags of 05 with, besides the tweets shared with #coronavirus, each
-- tag's total number of distinct tweets.
WITH pairs AS MATERIALIZED (
  SELECT DISTINCT id_tweets, tag FROM tweet_tags
),
corona AS (
  SELECT DISTINCT id_tweets FROM pairs WHERE lower(tag) = '#coronavirus'
),
together AS (
  SELECT p.tag, count(*) AS together
  FROM pairs AS p
  JOIN corona AS c ON c.id_tweets = p.id_tweets
  WHERE lower(p.tag) <> '#coronavirus'
  GROUP BY p.tag
),
totals AS (
  SELECT tag, count(*) AS total FROM pairs GROUP BY tag
)
SELECT g.tag, g.together, t.total
FROM together AS g
JOIN totals AS t ON t.tag = g.tag
ORDER BY g.together DESC, t.total DESC, g.tag COLLATE "C";
