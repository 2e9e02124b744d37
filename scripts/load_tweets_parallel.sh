#!/bin/sh
# Loads every archive of data/ into each database through GNU parallel, one job (one
# `tweetload load` process) per file, and times each database with `time`.
#
#   scripts/load_tweets_parallel.sh [DB...]       DB: denormalized normalized normalized_batch all
#
# Environment:
#   TWEETLOAD_DBS                   databases when none is given as an argument (default: all)
#   TWEETLOAD_DATA_DIR              folder of archives (default: data/ of the project)
#   TWEETLOAD_PARALLEL_JOBS         jobs at once (default: one per file)
#   TWEETLOAD_DENORMALIZED_URL      } each database's URL; unset ones come from PGHOST/PGPORT/
#   TWEETLOAD_NORMALIZED_URL        } PGUSER/PGPASSWORD (database pg_<db>), else from the
#   TWEETLOAD_NORMALIZED_BATCH_URL  } embedded clusters, which are started when nothing is set
#
# Every database is loaded even when one fails; the exit status says whether all loaded.
set -eu
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
# shellcheck source=lib/common.sh
. "$SCRIPT_DIR/lib/common.sh"

dbs=$(select_dbs "$@")
require_gnu_parallel
require_cli
archives=$(list_archives)
count=$(printf '%s\n' "$archives" | wc -l | tr -d ' ')
jobs=${TWEETLOAD_PARALLEL_JOBS:-$count}
case $jobs in
  '' | *[!0-9]* | 0) die "TWEETLOAD_PARALLEL_JOBS must be a positive whole number, not \`$jobs\`." ;;
esac
# shellcheck disable=SC2086 # one database name per word
ensure_targets $dbs

failed=''
for db in $dbs; do
  banner "load $db: $count files, $jobs at a time -> $(describe_target "$db")"
  # --quote keeps paths with spaces intact; GNU parallel exits non-zero when any job failed,
  # after letting the others finish.
  printf '%s\n' "$archives" |
    timed parallel --will-cite --quote --jobs "$jobs" \
      node "$CLI" load --db "$db" --jobs 1 '{}' || failed="$failed $db"
done

if [ -n "$failed" ]; then
  echo "${0##*/}: loading failed for:$failed" >&2
  exit 1
fi
