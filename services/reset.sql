-- Drops every table, view, materialized view, sequence and function in the
-- public schema except those that belong to an extension (PostGIS keeps its
-- spatial_ref_sys and functions). Applying a schema afterwards gives an empty
-- database again. Used by `tweetload db reset` and the benchmark.

-- The load journal (schema tweetload) goes too: the files it lists are no
-- longer in the database, so a later load must not skip them.
DROP SCHEMA IF EXISTS tweetload CASCADE;

DO $$
DECLARE
  item RECORD;
BEGIN
  FOR item IN
    SELECT
      CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
        ELSE 'TABLE' END AS kind,
      format('%I.%I', n.nspname, c.relname) AS name
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
      AND NOT EXISTS (
        SELECT 1 FROM pg_depend AS d
        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY c.relkind = 'S'
  LOOP
    EXECUTE format('DROP %s IF EXISTS %s CASCADE', item.kind, item.name);
  END LOOP;

  FOR item IN
    SELECT p.oid::regprocedure::text AS name
    FROM pg_proc AS p
    JOIN pg_namespace AS n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (
        SELECT 1 FROM pg_depend AS d
        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      )
  LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.name);
  END LOOP;
END
$$;
