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

# Text ($1) with the password of the target ($2) hidden, for the header and for psql's
# errors (psql quotes a bad part of a connection string, password included: "invalid
# percent-encoded token"). The target's password is found in a URL (user:password@, and
# ?password=) or a key=value string (password=... or password='...'), as written and
# percent-decoded; every occurrence of it becomes ***, and so does whatever follows
# password= or user: in a URL.
redact() {
  printf '%s\n' "$1" | awk -v target="$2" '
    function decode(s,   out, i, c, hex) {
      out = ""
      for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        hex = substr(s, i + 1, 2)
        if (c == "%" && hex ~ /^[0-9A-Fa-f][0-9A-Fa-f]$/) {
          out = out sprintf("%c", index("0123456789abcdef", tolower(substr(hex, 1, 1))) * 16 - 17 + index("0123456789abcdef", tolower(substr(hex, 2, 1))))
          i += 2
        } else out = out c
      }
      return out
    }
    function hide(text, secret,   at, out) {
      if (length(secret) < 1) return text
      out = ""
      while ((at = index(text, secret)) > 0) {
        out = out substr(text, 1, at - 1) "***"
        text = substr(text, at + length(secret))
      }
      return out text
    }
    BEGIN {
      n = 0
      if (match(target, /:\/\/[^\/@]*@/)) {
        auth = substr(target, RSTART + 3, RLENGTH - 4)
        if ((c = index(auth, ":")) > 0) secrets[++n] = substr(auth, c + 1)
      }
      if (match(target, /[?&]password=[^&]*/)) secrets[++n] = substr(target, RSTART + 10, RLENGTH - 10)
      if (match(target, /(^|[ \t])password[ \t]*=[ \t]*/)) {
        rest = substr(target, RSTART + RLENGTH)
        if (substr(rest, 1, 1) == "\047") {
          value = ""
          for (i = 2; i <= length(rest); i++) {
            c = substr(rest, i, 1)
            if (c == "\\") { i++; value = value substr(rest, i, 1); continue }
            if (c == "\047") break
            value = value c
          }
          secrets[++n] = value
          secrets[++n] = substr(rest, 1, i)
        } else if (match(rest, /^[^ \t]+/)) secrets[++n] = substr(rest, 1, RLENGTH)
      }
      m = n
      for (k = 1; k <= m; k++) secrets[++n] = decode(secrets[k])
    }
    {
      line = $0
      for (k = 1; k <= n; k++) line = hide(line, secrets[k])
      gsub(/password[ \t]*=[ \t]*\047([^\047\\]|\\.)*\047/, "password=***", line)
      gsub(/password[ \t]*=[ \t]*[^ \t&\047]+/, "password=***", line)
      out = ""
      while (match(line, /:\/\/[^:\/@ \t]*:[^@ \t]*@/)) {
        url = substr(line, RSTART, RLENGTH)
        out = out substr(line, 1, RSTART - 1) substr(url, 1, index(substr(url, 4), ":") + 3) "***@"
        line = substr(line, RSTART + RLENGTH)
      }
      print out line
    }'
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

failed=0
for target in "$@"; do
  shown=$(redact "$target" "$target")
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
      echo "FAIL  $name  (psql: $(head -n 1 "$tmp/error" | redact "$(cat)" "$target"))"
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
