-- Number of distinct (tweet, tag) pairs; tags are '#hashtag' and '$cashtag', case kept.
SELECT count(*) AS tags
FROM (SELECT DISTINCT id_tweets, tag FROM tweet_tags) AS pairs;
