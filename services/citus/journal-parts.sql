-- tweetload.journal_parts on Citus: applied by `tweetload db reset --citus` (and `db init
-- --citus`) after the tables are distributed, in pg_denormalized and pg_normalized_batch,
-- whose loaders make a file (or chunk) one transaction on a plain server.
--
-- On Citus those loaders send a file's rows straight to the nodes that hold them, one
-- transaction per node, and the journal row (a table of the coordinator) is written once
-- every node has committed. A part is the rows of one file (or chunk) that fall in one shard
-- group's hash range: its row here is written in the same transaction as those rows, on the
-- same shard group (distributed co-located with the data, so a shard move carries it along).
-- A load that stops between a node's commit and the journal leaves parts here; the next load
-- of the file sends only the rows of the other ranges, writes the journal row, then deletes
-- the file's parts (docs/citus.md, "What a crash leaves"). The loaders read and delete them
-- shard by shard on each node (src/load/citus/parts.ts), never through the coordinator.
CREATE TABLE IF NOT EXISTS tweetload.journal_parts (
  -- The distribution column: the key of one row of the part, so that this row lives on the
  -- part's shard group.
  key BIGINT NOT NULL,
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  -- The chunk of a file loaded in parallel (journal_chunks); '' and -1 for a whole file.
  member TEXT NOT NULL,
  chunk INTEGER NOT NULL,
  -- The hash range of the shard group the part covered (a later split keeps it inside).
  range_min INTEGER NOT NULL,
  range_max INTEGER NOT NULL,
  -- The load's generation: the finished_at of the file's journal row when the load began,
  -- null when there was none. A part counts only for its generation, so the parts of a load
  -- that finished (left behind when deleting them failed) never stop a later `--force` load.
  generation TIMESTAMPTZ,
  finished_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_dist_partition
                  WHERE logicalrelid = 'tweetload.journal_parts'::regclass) THEN
    PERFORM create_distributed_table('tweetload.journal_parts', 'key',
      colocate_with => CASE WHEN EXISTS (SELECT 1 FROM pg_dist_partition
                                          WHERE logicalrelid = to_regclass('tweets_jsonb'))
                            THEN 'tweets_jsonb' ELSE 'tweets' END);
  END IF;
END
$$;
