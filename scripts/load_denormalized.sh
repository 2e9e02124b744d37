#!/bin/sh
# Loads archives into the denormalized database (pg_denormalized), in one call of the CLI.
#
#   scripts/load_denormalized.sh FILE...
#
# The database is $TWEETLOAD_DENORMALIZED_URL, else the PG* variables' server, else the
# embedded cluster (started here when nothing else is named).
set -eu
SCRIPT_DIR=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
# shellcheck source=lib/common.sh
. "$SCRIPT_DIR/lib/common.sh"

[ "$#" -gt 0 ] || die "usage: ${0##*/} FILE|DIR|-... (archives: $ACCEPTED_NAMES; - for standard input)"
require_cli
ensure_targets denormalized
echo "denormalized -> $(describe_target denormalized)"
exec node "$CLI" load --db denormalized --jobs 1 "$@"
