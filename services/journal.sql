-- The load journal of every tweetload database (pg_denormalized, pg_normalized,
-- pg_normalized_batch, plain or on Citus, where it stays a local table): applied before
-- each services/pg_<kind>/schema.sql by `tweetload db up` and `db reset` (src/db/schema.ts)
-- and by the Docker images (15_journal.sql). Idempotent, and it upgrades a journal an
-- older tweetload made in place, keeping its rows.
--
-- The journal, in its own schema so that it is tweetload's bookkeeping and
-- not part of the data: one row per archive fully loaded into this database,
-- written in the same transaction as the file's rows by the COPY loaders
-- (after the file by the per-tweet loaders, whose writes are idempotent). A
-- re-run skips the files it names. A file is known by its resolved path and
-- content hash (docs/faults.md, "Journal"): the same content under the same base
-- name is skipped wherever it lies; a path loaded with other content is refused
-- until `load --replace`.
CREATE SCHEMA IF NOT EXISTS tweetload;
CREATE TABLE IF NOT EXISTS tweetload.journal (
  file_name TEXT NOT NULL,
  size BIGINT NOT NULL,
  content_hash TEXT NOT NULL,
  loader TEXT NOT NULL,
  tweets BIGINT NOT NULL,
  rejects BIGINT NOT NULL,
  finished_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Stream notices the file held, per kind ({"delete": 500, "limit": 20}); added to journals
-- made before notices were counted.
ALTER TABLE tweetload.journal ADD COLUMN IF NOT EXISTS notices JSONB NOT NULL DEFAULT '{}';

-- Load identity: a file is its resolved path and its content. Rows of journals
-- made before keep path NULL: they still skip their content under the same base name, but
-- cannot be replaced. These statements upgrade an older journal in place.
ALTER TABLE tweetload.journal ADD COLUMN IF NOT EXISTS path TEXT;
ALTER TABLE tweetload.journal ADD COLUMN IF NOT EXISTS load_id BIGINT;
DO $$
BEGIN
  -- The old key (base name, content) would refuse the same content loaded from two paths.
  IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'journal_pkey'
               AND conrelid = 'tweetload.journal'::regclass) THEN
    ALTER TABLE tweetload.journal DROP CONSTRAINT journal_pkey;
  END IF;
END
$$;
-- The key costs no waiting, even in the constraint-free pg_normalized_batch: it is not on
-- a tweet table, and two loads of the same file take turns on an advisory lock before
-- they write it.
CREATE UNIQUE INDEX IF NOT EXISTS journal_path_content_key
  ON tweetload.journal (path, content_hash);
CREATE INDEX IF NOT EXISTS journal_name_content_idx
  ON tweetload.journal (file_name, content_hash);

-- Chunks of a file loaded in parallel: one row per committed chunk (lines
-- first_line .. first_line+lines-1 of a member; member '' for a plain file), written in the
-- chunk's own transaction (after its last tweet by the per-tweet loader). A re-run after a
-- crash loads only the chunks not listed, cut again with the chunk_lines stored here; the
-- rows of a file go in the transaction that writes its journal row.
CREATE TABLE IF NOT EXISTS tweetload.journal_chunks (
  path TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  load_id BIGINT,
  member TEXT NOT NULL,
  chunk INTEGER NOT NULL,
  chunk_lines INTEGER NOT NULL,
  first_line BIGINT NOT NULL,
  lines INTEGER NOT NULL,
  loader TEXT NOT NULL,
  tweets BIGINT NOT NULL,
  rejects BIGINT NOT NULL,
  notices JSONB NOT NULL DEFAULT '{}',
  finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (path, content_hash, member, chunk)
);

-- A chunk belongs to its content, as a finished file does: its base name and content hash
-- (docs/faults.md, "One load per content"). So a load from another folder, or standard
-- input (a new spool folder every run), finds the chunks an earlier load of the same
-- content committed. NULL in rows written before; those are found by their path.
ALTER TABLE tweetload.journal_chunks ADD COLUMN IF NOT EXISTS file_name TEXT;
CREATE INDEX IF NOT EXISTS journal_chunks_content_idx
  ON tweetload.journal_chunks (content_hash, member, chunk);
