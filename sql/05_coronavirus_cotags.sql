-- Tags that occur together with #coronavirus (any letter case), with the
-- number of distinct tweets they share with it. #coronavirus itself, in any
-- letter case, is left out. Ties in byte order of the tag.
SELECT t2.tag, count(DISTINCT t2.id_tweets) AS tweets
FROM tweet_tags AS t1
JOIN tweet_tags AS t2 ON t2.id_tweets = t1.id_tweets
WHERE lower(t1.tag) = '#coronavirus'
  AND lower(t2.tag) <> '#coronavirus'
GROUP BY t2.tag
ORDER BY tweets DESC, t2.tag COLLATE "C";
