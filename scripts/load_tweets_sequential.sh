#!/bin/sh
# Loads every archive of data/ into each database, one file after another (one worker),
# and times each database with `time`.
#
#   scripts/load_tweets_sequential.sh [DB...]     DB: denormalized normalized normalized_batch all
#
# Environment:
#   TWEETLOAD_DBS                   databases when none is given as an argument (default: all)
#   TWEETLOAD_DATA_DIR              folder of archives (default: data/ of the project)
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
require_cli
archives=$(list_archives)
# shellcheck disable=SC2086 # one database name per word
ensure_targets $dbs

# The archive list becomes the positional parameters, split on newlines only and never
# globbed (set -f): a name may hold spaces, quotes or `*`.
old_ifs=$IFS
IFS='
'
set -f
# shellcheck disable=SC2086 # split on newlines only
set -- $archives
set +f
IFS=$old_ifs

failed=''
for db in $dbs; do
  banner "load $db: $# files, sequentially -> $(describe_target "$db")"
  timed node "$CLI" load --db "$db" --jobs 1 "$@" || failed="$failed $db"
done

if [ -n "$failed" ]; then
  echo "${0##*/}: loading failed for:$failed" >&2
  exit 1
fi
