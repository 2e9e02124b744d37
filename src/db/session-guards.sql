-- Set on every connection tweetload opens, so that a client that went away (killed,
-- SIGKILL, its machine gone) leaves nothing running on the server. A backend notices a
-- closed socket only when it next reads from or writes to it: a checker query or a COPY
-- waiting for a lock went on for minutes after its client was killed, and held its locks
-- (a `db reset` waited behind them). client_connection_check_interval (PostgreSQL 14+)
-- makes a backend look at its socket every second while it runs a statement, and end it
-- when the client is gone; the keepalives find a client whose host vanished without
-- closing the connection, within about a minute instead of the kernel's two hours.
-- A statement_timeout would also end the long queries of a live client (the checker on
-- a billion tweets), so none is set. Settings a server does not know are left out.
SELECT set_config(s.name, s.value, false)
  FROM (VALUES
          ('client_connection_check_interval', '1s'),
          ('tcp_keepalives_idle', '30'),
          ('tcp_keepalives_interval', '10'),
          ('tcp_keepalives_count', '3')) AS s (name, value)
 WHERE s.name IN (SELECT name FROM pg_settings);
