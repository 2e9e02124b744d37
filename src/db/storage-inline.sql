-- inline: a row stays in the table's page, uncompressed, up to 8,160 bytes (the most
-- toast_tuple_target takes); only a longer row is compressed, with the server's
-- default_toast_compression. COPY skips the compression and a query the decompression,
-- for more bytes on disk.
ALTER TABLE tweets_jsonb SET (toast_tuple_target = 8160);
ALTER TABLE tweets_jsonb ALTER COLUMN data SET COMPRESSION default;
-- The views read the tweet id where this storage reads it cheapest (services/pg_denormalized/schema.sql).
SELECT tweetload_make_docs_view();
