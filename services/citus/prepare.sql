-- Run by `tweetload db reset --citus` (and `db init --citus`) before a database's schema
-- file, on a Citus coordinator, once src/db/citus-setup.ts has made what was missing. It
-- checks the cluster again, so that a missing piece is named before any table is made: the
-- extension in this database (each database needs its own), and at least one active worker
-- registered in it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'the citus extension is not created in database %', current_database()
      USING HINT = 'Is this server a Citus coordinator (shared_preload_libraries = citus)? tweetload db init --citus makes the extension on every node.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND groupid <> 0) THEN
    RAISE EXCEPTION 'database % on this coordinator has no worker registered', current_database()
      USING HINT = 'Register each worker once in the coordinator''s postgres database (SELECT citus_add_node(host, port)); tweetload db init --citus then registers them in this one.';
  END IF;
END
$$;
