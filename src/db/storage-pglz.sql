-- pglz: PostgreSQL's default for jsonb. A row over about 2 KB is compressed with pglz,
-- and moved out of line (TOAST) when still too big: the least disk, the most CPU on
-- COPY and on every read of the document.
ALTER TABLE tweets_jsonb RESET (toast_tuple_target);
ALTER TABLE tweets_jsonb ALTER COLUMN data SET COMPRESSION pglz;
-- The views read the tweet id where this storage reads it cheapest (services/pg_denormalized/schema.sql).
SELECT tweetload_make_docs_view();
