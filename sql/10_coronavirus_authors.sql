-- The twenty authors of #coronavirus tweets (any letter case) with the most statuses,
-- each with the screen name and statuses count of its user row and its number of
-- distinct #coronavirus tweets. Most statuses first (a NULL count last), ties by user id.
-- pg_normalized_batch keeps every snapshot of a user, so one row per user is taken here
-- by the snapshot rule of docs/contract/tweet-to-rows.md: hydrated first, then the latest
-- updated_at, then the greatest tweet id. In the other two databases each user has one
-- row already, picked by that rule, and this changes nothing.
WITH corona AS (
  SELECT DISTINCT t.id_users, t.id_tweets
  FROM tweets AS t
  WHERE t.id_tweets IN (SELECT id_tweets FROM tweet_tags WHERE lower(tag) = '#coronavirus')
),
latest AS (
  SELECT DISTINCT ON (u.id_users) u.id_users, u.screen_name, u.statuses_count
  FROM users AS u
  WHERE u.id_users IN (SELECT id_users FROM corona)
  ORDER BY u.id_users, u.hydrated DESC NULLS LAST, u.updated_at DESC NULLS LAST,
           u.snapshot_tweet_id DESC NULLS LAST
)
SELECT l.id_users, l.screen_name, l.statuses_count, count(*) AS tweets
FROM corona AS c
JOIN latest AS l ON l.id_users = c.id_users
GROUP BY l.id_users, l.screen_name, l.statuses_count
ORDER BY l.statuses_count DESC NULLS LAST, l.id_users
LIMIT 20;
