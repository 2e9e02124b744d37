-- Number of distinct tweets.
SELECT count(DISTINCT id_tweets) AS tweets
FROM tweets;
