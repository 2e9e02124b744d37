-- The new users of a batch (COPYed into stage_users), inserted in a short transaction of
-- their own just before the batch's tweets, like urls.sql: a user shared by concurrent loads
-- is locked for the few milliseconds of this transaction, not for the whole merge. A user
-- already present keeps its row (ON CONFLICT), so the first row wins across batches too.
INSERT INTO users (id_users, created_at, updated_at, id_urls, friends_count, listed_count,
                   favourites_count, statuses_count, protected, verified, screen_name, name,
                   location, description, withheld_in_countries)
SELECT u.id_users, u.created_at, u.updated_at,
       (SELECT urls.id_urls FROM urls WHERE urls.url = u.url),
       u.friends_count, u.listed_count, u.favourites_count, u.statuses_count, u.protected,
       u.verified, u.screen_name, u.name, u.location, u.description, u.withheld_in_countries
  FROM stage_users u
 WHERE (SELECT true FROM users x WHERE x.id_users = u.id_users) IS NULL
 ORDER BY u.id_users
ON CONFLICT (id_users) DO NOTHING;
