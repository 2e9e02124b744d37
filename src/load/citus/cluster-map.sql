-- The shard groups of a distributed table ($1: tweets or tweets_jsonb) and of every table
-- co-located with it: per shard, its hash range, its table, its name and the node holding
-- it. src/load/citus/cluster-map.ts reads it once per file; a shard moved or split since
-- then is noticed by the writes themselves (they go through Citus, or check the placement:
-- load-group-citus.sql) and the map is read again.
SELECT s.shardminvalue::int AS min,
       s.shardmaxvalue::int AS max,
       s.logicalrelid::regclass::text AS table_name,
       s.shardid::text AS shard_id,
       shard_name(s.logicalrelid, s.shardid) AS shard_name,
       n.nodename AS host,
       n.nodeport AS port,
       n.hasmetadata AND n.metadatasynced AS meta
  FROM pg_dist_shard AS s
  JOIN pg_dist_placement AS p USING (shardid)
  JOIN pg_dist_node AS n ON n.groupid = p.groupid AND n.noderole = 'primary' AND n.isactive
 WHERE s.logicalrelid IN (
         SELECT logicalrelid FROM pg_dist_partition
          WHERE colocationid = (SELECT colocationid FROM pg_dist_partition
                                 WHERE logicalrelid = $1::regclass))
 ORDER BY 1, 3
