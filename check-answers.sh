#!/bin/sh
# Runs every checker query (sql/NN_name.sql) with psql against one or more
# databases and compares the output with expected/NN_name.out, the answers
# for the shipped sample (data/). Prints pass/FAIL per query and database and
# exits 1 if any query fails (2 on a usage error).
#
#   ./check-answers.sh [URL...]
#
# With no URL it checks the databases named by TWEETLOAD_DENORMALIZED_URL,
# TWEETLOAD_NORMALIZED_URL and TWEETLOAD_NORMALIZED_BATCH_URL (the embedded
# clusters export them with: eval "$(node bin/tweetload.js db env)"); when
# none is set, pg_denormalized, pg_normalized and pg_normalized_batch on the
# server that the PG* variables (PGHOST, PGPORT, PGUSER, ...) describe.
#
# Output format of psql: unaligned, tuples only, '|' between fields, NULL as
# an empty field (psql -X -A -t -F '|'), in a UTC session.
# Environment: SQL_DIR and EXPECTED_DIR override the folders; PSQL the client.

set -u

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
sql_dir=${SQL_DIR:-$here/sql}
expected_dir=${EXPECTED_DIR:-$here/expected}
psql_cmd=${PSQL:-psql}

if ! command -v "$psql_cmd" >/dev/null 2>&1; then
  echo "check-answers.sh: psql not found; install the PostgreSQL client (e.g. apt-get install postgresql-client)." >&2
  exit 2
fi

if [ "$#" -eq 0 ]; then
  for var in TWEETLOAD_DENORMALIZED_URL TWEETLOAD_NORMALIZED_URL TWEETLOAD_NORMALIZED_BATCH_URL; do
    eval "value=\${$var:-}"
    if [ -n "$value" ]; then set -- "$@" "$value"; fi
  done
  if [ "$#" -eq 0 ]; then
    set -- pg_denormalized pg_normalized pg_normalized_batch
  fi
fi

# A URL shown without its password.
redact() {
  printf '%s\n' "$1" | sed 's#\(://[^:/@]*:\)[^@]*@#\1***@#'
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

failed=0
for target in "$@"; do
  shown=$(redact "$target")
  echo "== $shown"
  found=0
  for sql in "$sql_dir"/[0-9]*.sql; do
    [ -f "$sql" ] || continue
    found=1
    name=$(basename "$sql" .sql)
    expected="$expected_dir/$name.out"
    actual="$tmp/$name.out"
    if ! PGTZ=UTC PGOPTIONS="${PGOPTIONS:-} -c TimeZone=UTC" "$psql_cmd" -X -q -A -t -F '|' \
      -v ON_ERROR_STOP=1 -d "$target" -f "$sql" >"$actual" 2>"$tmp/error"; then
      echo "FAIL  $name  (psql: $(head -n 1 "$tmp/error"))"
      failed=1
    elif [ ! -f "$expected" ]; then
      echo "FAIL  $name  (no $expected)"
      failed=1
    elif diff -u "$expected" "$actual" >"$tmp/diff"; then
      echo "pass  $name"
    else
      echo "FAIL  $name  (- expected, + $shown; first lines of the difference)"
      sed -n '3,22p' "$tmp/diff" | sed 's/^/      /'
      failed=1
    fi
  done
  if [ "$found" -eq 0 ]; then
    echo "check-answers.sh: no queries (NN_name.sql) in $sql_dir" >&2
    exit 2
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "Some answers differ from expected/."
  exit 1
fi
echo "All answers match expected/."
