-- The sessions whose locks backend $1 waits for (pg_blocking_pids: those holding a lock it
-- needs, and those queued ahead of it for one), as `db reset` names them.
SELECT a.pid,
       coalesce(nullif(a.application_name, ''), a.backend_type) AS application,
       a.usename AS "user",
       a.state,
       extract(epoch FROM now() - coalesce(a.query_start, a.backend_start))::float8 AS seconds,
       left(btrim(regexp_replace(a.query, '\s+', ' ', 'g')), 80) AS query
  FROM pg_stat_activity AS a
 WHERE a.pid = ANY (pg_blocking_pids($1))
 ORDER BY a.pid;
