-- The tags of 05 with, besides the tweets shared with #coronavirus, each
-- tag's total number of distinct tweets.
WITH corona AS (
  SELECT DISTINCT id_tweets FROM tweet_tags WHERE lower(tag) = '#coronavirus'
),
together AS (
  SELECT t.tag, count(DISTINCT t.id_tweets) AS together
  FROM tweet_tags AS t
  JOIN corona AS c ON c.id_tweets = t.id_tweets
  WHERE lower(t.tag) <> '#coronavirus'
  GROUP BY t.tag
)
SELECT g.tag, g.together, count(DISTINCT t.id_tweets) AS total
FROM together AS g
JOIN tweet_tags AS t ON t.tag = g.tag
GROUP BY g.tag, g.together
ORDER BY g.together DESC, total DESC, g.tag COLLATE "C";
