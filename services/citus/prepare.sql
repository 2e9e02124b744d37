-- Run by `tweetload db reset --citus` before a database's schema file, on a Citus
-- coordinator. It checks the cluster, so that a missing piece is named before any table
-- is made: the extension in this database (each database needs its own), and at least
-- one active worker registered in it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
    RAISE EXCEPTION 'the citus extension is not created in database %', current_database()
      USING HINT = 'Run CREATE EXTENSION citus in it (on the coordinator and on every worker), then register the workers with SELECT citus_add_node(host, port).';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND groupid <> 0) THEN
    RAISE EXCEPTION 'database % on this coordinator has no worker registered', current_database()
      USING HINT = 'Run SELECT citus_add_node(host, port) in it for each worker (each worker needs the same database with CREATE EXTENSION citus).';
  END IF;
END
$$;
