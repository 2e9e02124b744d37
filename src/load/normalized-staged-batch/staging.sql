-- Per-session staging tables of the batched loader for pg_normalized: each batch is
-- COPYed here and merged into the real tables (users.sql, merge.sql). stage_users is
-- emptied at commit; stage_tweets is filled in the users' transaction and read by the
-- merge's, which empties it (a refused tweet then rolls its users back too).
-- LIKE takes the real column types (geo is geometry or text, as the schema made it), so
-- a value the real table would refuse is refused at COPY already. Urls are staged as text;
-- their ids are looked up at merge time (urls.sql has inserted them before).
-- A tweet with its link rows as arrays (null when empty), so that a batch is one COPY.
CREATE TEMP TABLE IF NOT EXISTS stage_tweets (
  LIKE tweets,
  urls text[],
  mentions bigint[],
  tags text[],
  media_urls text[],
  media_types text[]
) ON COMMIT PRESERVE ROWS;
-- The batch's new users, each with its first row and its url as text (id_urls stays null).
CREATE TEMP TABLE IF NOT EXISTS stage_users (LIKE users, url text) ON COMMIT DELETE ROWS;
