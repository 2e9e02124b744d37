-- users.sql on Citus: the same merge by the snapshot rule, the url's id computed from the
-- url (tweetload_url_id) instead of looked up in urls on another shard.
INSERT INTO users (id_users, created_at, updated_at, id_urls, friends_count, listed_count,
                   favourites_count, statuses_count, protected, verified, screen_name, name,
                   location, description, withheld_in_countries, snapshot_tweet_id, hydrated)
SELECT u.id_users, u.created_at, u.updated_at,
       tweetload_url_id(u.url),
       u.friends_count, u.listed_count, u.favourites_count, u.statuses_count, u.protected,
       u.verified, u.screen_name, u.name, u.location, u.description, u.withheld_in_countries,
       u.snapshot_tweet_id, u.hydrated
  FROM stage_users u
 ORDER BY u.id_users
@USERS_NEWER_SNAPSHOT@;
