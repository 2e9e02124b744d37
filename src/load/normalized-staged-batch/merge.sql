-- Merges the staged tweets of a batch into pg_normalized, inside the batch's transaction;
-- urls.sql and users.sql have inserted the batch's new urls and users just before.
--
-- Deadlock-free by construction: a load waits only on a unique key that another open
-- transaction inserted. urls.sql and users.sql each insert one table's keys in ascending
-- order and commit at once; this transaction inserts tweets in ascending id order, and link
-- rows whose keys start with one of its own new tweets, which no other load can insert. So
-- every transaction waits only for keys of one table above all those it holds, and no wait
-- cycle can form. (FK checks take KEY SHARE locks on committed rows: only an UPDATE or
-- DELETE of the referenced row could block them, and loaders never run one.)

-- The staging tables have no statistics, so the planner would often hash a whole real table
-- to join a batch of 1,000 rows, a cost that grows with every batch loaded. Every lookup in
-- a real table is therefore a scalar subquery: one index probe per staged row, whatever the
-- estimates.

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
-- ids: urls.sql has inserted the urls of every tweet not loaded before.
INSERT INTO tweet_urls (id_tweets, id_urls)
SELECT s.id_tweets, (SELECT m.id_urls FROM urls m WHERE m.url = u.url)
  FROM stage_tweets s, unnest(s.urls) AS u (url);

INSERT INTO tweet_mentions (id_tweets, id_users)
SELECT s.id_tweets, m.id_users FROM stage_tweets s, unnest(s.mentions) AS m (id_users);

INSERT INTO tweet_tags (id_tweets, tag)
SELECT s.id_tweets, t.tag FROM stage_tweets s, unnest(s.tags) AS t (tag);

INSERT INTO tweet_media (id_tweets, id_urls, type)
SELECT s.id_tweets, (SELECT m.id_urls FROM urls m WHERE m.url = u.url), u.type
  FROM stage_tweets s, unnest(s.media_urls, s.media_types) AS u (url, type);
