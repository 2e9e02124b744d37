-- Tweets tagged #coronavirus (any letter case) per country code.
SELECT t.country_code, count(DISTINCT t.id_tweets) AS tweets
FROM tweets AS t
WHERE t.id_tweets IN (SELECT id_tweets FROM tweet_tags WHERE lower(tag) = '#coronavirus')
GROUP BY t.country_code
ORDER BY tweets DESC, t.country_code COLLATE "C" NULLS LAST;
