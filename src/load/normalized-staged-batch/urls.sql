-- The new urls of a batch, inserted and committed in a statement of their own just before
-- the batch's transaction: urls shared by concurrent loads are then locked for the few
-- milliseconds of this statement, not for the whole merge. As in the per-tweet loader,
-- only urls of tweets not yet loaded count. $1 and $2 pair each tweet id with one of its
-- urls (author url, links, media).
INSERT INTO urls (url)
SELECT n.url
  FROM (
    SELECT DISTINCT p.url
      FROM unnest($1::bigint[], $2::text[]) AS p (id_tweets, url)
     WHERE (SELECT true FROM tweets t WHERE t.id_tweets = p.id_tweets) IS NULL
  ) AS n
 WHERE (SELECT true FROM urls u WHERE u.url = n.url) IS NULL -- spares the sequence
 ORDER BY n.url COLLATE "C"
ON CONFLICT (url) DO NOTHING
