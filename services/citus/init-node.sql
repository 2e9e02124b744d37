-- Run once by every node of the compose profile `citus` (coordinator and workers) when its
-- data directory is new (/docker-entrypoint-initdb.d): the three databases, each with the
-- citus extension, which Citus needs on every node of every database it distributes.
-- PostGIS is not in the citusdata/citus image, so tweets.geo is WKT text there.
CREATE DATABASE pg_denormalized;
CREATE DATABASE pg_normalized;
CREATE DATABASE pg_normalized_batch;
\c pg_denormalized
CREATE EXTENSION IF NOT EXISTS citus;
\c pg_normalized
CREATE EXTENSION IF NOT EXISTS citus;
\c pg_normalized_batch
CREATE EXTENSION IF NOT EXISTS citus;
