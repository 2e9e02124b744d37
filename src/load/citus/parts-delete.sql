-- The parts of one file (or chunk) once its journal row is committed, from one shard of
-- tweetload.journal_parts (the one named below, on the node the connection is to): $1 path, $2 content hash,
-- $3 member, $4 chunk. Rows this leaves behind (the connection lost first) are of an older
-- generation by the next load of the file, which ignores them.
DELETE FROM {shard} WHERE path = $1 AND content_hash = $2 AND member = $3 AND chunk = $4
