-- Tweets tagged #coronavirus (any letter case) per day of created_at in UTC,
-- whatever the session's TimeZone and DateStyle.
SELECT to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
  count(DISTINCT t.id_tweets) AS tweets
FROM tweets AS t
WHERE t.id_tweets IN (SELECT id_tweets FROM tweet_tags WHERE lower(tag) = '#coronavirus')
GROUP BY day
ORDER BY day;
