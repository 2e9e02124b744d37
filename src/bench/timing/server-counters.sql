-- WAL position of the cluster (exact, immediate) and commits in this database (the
-- statistics system's count, which backends add to as they go and when they exit).
SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS wal,
       (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::text AS commits
