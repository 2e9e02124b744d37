-- How pg_denormalized's tweets_jsonb stores its documents (src/db/storage.ts): the table's
-- toast_tuple_target (set: rows stay inline up to it), the column's compression ('p'
-- pglz, 'l' lz4, '' the server's default_toast_compression), that default, and
-- whether the server has lz4.
-- pg_attribute is read through to_jsonb, so a server without attcompression answers too.
SELECT
  (SELECT option_value
     FROM pg_class AS c, pg_options_to_table(c.reloptions)
    WHERE c.oid = to_regclass('tweets_jsonb') AND option_name = 'toast_tuple_target') AS toast_tuple_target,
  (SELECT to_jsonb(a) ->> 'attcompression'
     FROM pg_attribute AS a
    WHERE a.attrelid = to_regclass('tweets_jsonb') AND a.attname = 'data') AS compression,
  current_setting('default_toast_compression', true) AS default_compression,
  to_regclass('tweets_jsonb') IS NOT NULL AS has_table,
  -- The server's compression methods are the choices of default_toast_compression:
  -- lz4 is among them only in a build with lz4.
  (SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression') AS has_lz4
