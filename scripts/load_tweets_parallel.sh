#!/bin/sh
# Loads every archive of data/ into each database through GNU parallel, and times each
# database with `time`. The files are dealt out in as many groups as there are jobs, each
# group one `tweetload load --jobs 1` process: a process's start-up (~0.5 s) is paid once
# per job, not once per file, and the server sees one connection per job, never one per
# file (365 daily files must not open 365 connections past max_connections). The jobs
# print their summaries as JSON; one table of every file and database ends the run.
#
#   scripts/load_tweets_parallel.sh [DB...]       DB: denormalized normalized normalized_batch all
#
# Environment:
#   TWEETLOAD_DBS                   databases when none is given as an argument (default: all)
#   TWEETLOAD_DATA_DIR              folder of archives (default: data/ of the project)
#   TWEETLOAD_PARALLEL_JOBS         jobs (processes, connections) at once (default: one per core)
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
jobs=${TWEETLOAD_PARALLEL_JOBS:-$(cpu_count)}
case $jobs in
  '' | *[!0-9]* | 0) die "TWEETLOAD_PARALLEL_JOBS must be a positive whole number, not \`$jobs\`." ;;
esac
[ "$jobs" -le "$count" ] || jobs=$count
# Files per job, rounded up, so that the groups are at most $jobs.
per_job=$(((count + jobs - 1) / jobs))
# shellcheck disable=SC2086 # one database name per word
ensure_targets $dbs

work=$(mktemp -d "${TMPDIR:-/tmp}/tweetload-parallel.XXXXXX")
trap 'rm -rf "$work"' EXIT
: >"$work/started"
: >"$work/summaries.json"

failed=''
loads=0
for db in $dbs; do
  banner "load $db: $count files, $jobs at a time ($per_job per job) -> $(describe_target "$db")"
  # --quote keeps paths with spaces intact; -n appends up to $per_job of them to each job.
  # GNU parallel exits non-zero when any job failed, after letting the others finish; it
  # prints each job's output in one piece, so the JSON documents follow one another whole.
  printf '%s\n' "$archives" |
    timed parallel --will-cite --quote --jobs "$jobs" -n "$per_job" \
      node "$CLI" load --db "$db" --jobs 1 --json >>"$work/summaries.json" || failed="$failed $db"
  loads=$((loads + count))
done

banner "summary: $loads file loads"
tweetload_summary --since "$work/started" --expect "$loads" "$work/summaries.json" ||
  [ -n "$failed" ] || failed=' (see the summary)'

if [ -n "$failed" ]; then
  echo "${0##*/}: loading failed for:$failed" >&2
  exit 1
fi
