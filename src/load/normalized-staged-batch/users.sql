-- The users of a batch (COPYed into stage_users, each with the batch's best snapshot),
-- merged in a short transaction of their own just before the batch's tweets, like
-- urls.sql: a user shared by concurrent loads is locked for the few milliseconds of this
-- transaction, not for the whole merge. A row held is replaced only by a snapshot that
-- ranks higher by tweetload_snapshot_rank (services/user-snapshot.sql), the contract's
-- rule, as in load-tweet.sql: the highest of all snapshots wins, whatever the batches and their order.
-- Rows are locked in ascending id order, so two of these transactions cannot deadlock; the
-- update changes no key column (FOR NO KEY UPDATE), so merge.sql's foreign-key checks
-- (KEY SHARE) never wait for it.
INSERT INTO users (id_users, created_at, updated_at, id_urls, friends_count, listed_count,
                   favourites_count, statuses_count, protected, verified, screen_name, name,
                   location, description, withheld_in_countries, snapshot_tweet_id, hydrated)
SELECT u.id_users, u.created_at, u.updated_at,
       (SELECT urls.id_urls FROM urls WHERE urls.url = u.url),
       u.friends_count, u.listed_count, u.favourites_count, u.statuses_count, u.protected,
       u.verified, u.screen_name, u.name, u.location, u.description, u.withheld_in_countries,
       u.snapshot_tweet_id, u.hydrated
  FROM stage_users u
 ORDER BY u.id_users
@USERS_NEWER_SNAPSHOT@;
