-- The commit floor's table: one small row per transaction. Logged (not UNLOGGED or
-- TEMP), so every commit waits for its WAL flush as a loader's commit does.
DROP TABLE IF EXISTS tweetload_commit_floor;
CREATE TABLE tweetload_commit_floor (connection integer NOT NULL, n integer NOT NULL);
