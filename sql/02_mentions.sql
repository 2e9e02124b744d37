-- Number of distinct (tweet, mentioned user) pairs.
SELECT count(*) AS mentions
FROM (SELECT DISTINCT id_tweets, id_users FROM tweet_mentions) AS pairs;
