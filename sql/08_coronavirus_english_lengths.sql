-- English tweets tagged #coronavirus (any letter case) with the length of
-- their text in characters, by tweet id.
SELECT DISTINCT t.id_tweets, length(t.text) AS length
FROM tweets AS t
WHERE t.lang = 'en'
  AND t.id_tweets IN (SELECT id_tweets FROM tweet_tags WHERE lower(tag) = '#coronavirus')
ORDER BY t.id_tweets, length;
