-- lz4: as pglz, but compressed with lz4, cheaper to write and to read, a little bigger.
-- A server built without lz4 refuses the ALTER ("compression method lz4 not supported").
ALTER TABLE tweets_jsonb RESET (toast_tuple_target);
ALTER TABLE tweets_jsonb ALTER COLUMN data SET COMPRESSION lz4;
-- The views read the tweet id where this storage reads it cheapest (services/pg_denormalized/schema.sql).
SELECT tweetload_make_docs_view();
