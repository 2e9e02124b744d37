-- The parts of a file (or chunk) whose rows are committed on their nodes while the file is
-- not yet in the journal (services/citus/journal-parts.sql): $1 path, $2 content hash,
-- $3 member, $4 chunk.
SELECT range_min, range_max FROM tweetload.journal_parts
 WHERE path = $1 AND content_hash = $2 AND member = $3 AND chunk = $4
