-- merge.sql on Citus: the same merge of a batch's staged tweets, url ids computed from the
-- urls (tweetload_url_id) instead of looked up in urls on other shards. The staging tables
-- are local to the coordinator; Citus reads them there and routes each row to its shard.
-- Keeps in stage_tweets only the tweets this transaction inserted. A tweet loaded before
-- adds nothing, as in the per-tweet loader, and a tweet that a concurrent load inserted
-- first gets its link rows from that load.
WITH inserted AS (
  INSERT INTO tweets (@TWEET_COLUMNS@)
  SELECT @TWEET_COLUMNS@
    FROM stage_tweets
   ORDER BY id_tweets
  ON CONFLICT (id_tweets) DO NOTHING
  RETURNING id_tweets
)
DELETE FROM stage_tweets s WHERE NOT EXISTS (SELECT 1 FROM inserted i WHERE i.id_tweets = s.id_tweets);

-- Link rows need neither ON CONFLICT nor an order: their keys start with a tweet id that
-- only this transaction inserted, and the transform makes each tweet's keys distinct. Url
-- ids: hashes of the urls, which urls.sql has inserted.
INSERT INTO tweet_urls (id_tweets, id_urls)
SELECT s.id_tweets, tweetload_url_id(u.url)
  FROM stage_tweets s, unnest(s.urls) AS u (url);

INSERT INTO tweet_mentions (id_tweets, id_users)
SELECT s.id_tweets, m.id_users FROM stage_tweets s, unnest(s.mentions) AS m (id_users);

INSERT INTO tweet_tags (id_tweets, tag)
SELECT s.id_tweets, t.tag FROM stage_tweets s, unnest(s.tags) AS t (tag);

INSERT INTO tweet_media (id_tweets, id_urls, type)
SELECT s.id_tweets, tweetload_url_id(u.url), u.type
  FROM stage_tweets s, unnest(s.media_urls, s.media_types) AS u (url, type);
