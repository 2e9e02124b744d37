-- The parts of one file (or chunk) committed on their nodes by an earlier, unfinished load
-- of it (services/citus/journal-parts.sql), from one shard of tweetload.journal_parts on the
-- node the connection is to: $1 path, $2 content hash, $3 member, $4 chunk, $5 the
-- generation (the file's journal row's finished_at, null when it has none). Read and
-- deleted shard by shard on each node, so the coordinator runs no distributed statement per
-- file.
SELECT range_min, range_max FROM {shard}
 WHERE path = $1 AND content_hash = $2 AND member = $3 AND chunk = $4
   AND generation IS NOT DISTINCT FROM $5
