# shellcheck shell=sh
# Shared by the scripts in scripts/: sourced, never run. POSIX sh.
# The caller sets SCRIPT_DIR (the folder of the script being run) first.

ROOT=$(CDPATH='' cd -- "$SCRIPT_DIR/.." && pwd)
CLI="$ROOT/bin/tweetload.js"

die() {
  printf '%s: %s\n' "${0##*/}" "$*" >&2
  exit 1
}

# Node and the compiled CLI must be there before anything is timed.
require_cli() {
  command -v node >/dev/null 2>&1 ||
    die "node is not on PATH: install Node.js 20 or newer (https://nodejs.org), then run npm ci."
  [ -f "$ROOT/dist/cli/main.js" ] ||
    die "the CLI is not built ($ROOT/dist is missing): run \`npm ci\` (or \`npm run build\`) in $ROOT first."
}

# moreutils ships another program called parallel with a different syntax; only GNU parallel will do.
require_gnu_parallel() {
  command -v parallel >/dev/null 2>&1 ||
    die "GNU parallel is not installed (no \`parallel\` on PATH): install it with \`sudo apt-get install parallel\` (Debian/Ubuntu) or \`brew install parallel\` (macOS)."
  parallel --version 2>/dev/null | grep -q 'GNU parallel' ||
    die "\`$(command -v parallel)\` is not GNU parallel (perhaps the one from moreutils): install GNU parallel and put it first on PATH."
}

tweetload() {
  node "$CLI" "$@"
}

# One summary table from the `load --json` output of several jobs (scripts/load_tweets_parallel.sh).
tweetload_summary() {
  node "$ROOT/dist/report/sum-summaries-main.js" "$@"
}

# Cores online (POSIX getconf, else GNU nproc, else 1): the default number of jobs.
cpu_count() {
  getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1
}

# The databases to load: the arguments, else $TWEETLOAD_DBS (spaces or commas), else all three.
# Prints them one per line; `all` stands for the three.
select_dbs() {
  if [ "$#" -eq 0 ]; then
    set -f
    # shellcheck disable=SC2046 # splitting the list into words is the point
    set -- $(printf '%s' "${TWEETLOAD_DBS:-all}" | tr ',' ' ')
    set +f
  fi
  [ "$#" -gt 0 ] || set -- all
  for db in "$@"; do
    case $db in
      all) printf '%s\n' denormalized normalized normalized_batch ;;
      denormalized | normalized | normalized_batch) printf '%s\n' "$db" ;;
      *) die "unknown database \`$db\`: choose from denormalized, normalized, normalized_batch or all." ;;
    esac
  done
}

# What tweetload reads, as src/input/archive-members.ts says it.
ACCEPTED_NAMES='.zip, .tar (also .tar.gz, .tgz, .tar.bz2), .jsonl, .ndjson or .json (the last three also .gz or .bz2)'

# Why a directory entry is not loaded (printed), or nothing for an archive to load: the
# rules of src/input/list-archives.ts. Symbolic links to files count as the files.
entry_verdict() {
  name=${1##*/}
  lower=$(printf '%s' "$name" | tr '[:upper:]' '[:lower:]')
  case $name in
    ._*) echo 'macOS metadata (AppleDouble ._ file), not tweets'; return ;;
    .DS_Store) echo 'macOS folder settings (.DS_Store), not tweets'; return ;;
  esac
  if [ -L "$1" ] && [ ! -e "$1" ]; then
    echo 'a broken symbolic link: its target does not exist'
  elif [ -d "$1" ]; then
    echo 'a directory: directories inside a directory are not searched (name it to load it)'
  elif [ ! -f "$1" ]; then
    echo 'not a regular file'
  else
    case $lower in
      *.zip | *.tar | *.tar.gz | *.tgz | *.tar.bz2 | *.tbz2) ;;
      *.jsonl | *.ndjson | *.json | *.jsonl.gz | *.ndjson.gz | *.json.gz) ;;
      *.jsonl.bz2 | *.ndjson.bz2 | *.json.bz2) ;;
      *) echo "not a name tweetload reads ($ACCEPTED_NAMES)" ;;
    esac
  fi
}

# The archives to load, one per line in name order: $TWEETLOAD_DATA_DIR, else data/ of the
# project. Every other entry is named on stderr with the reason, as `tweetload load DIR`
# does. Names are only ever expanded inside double quotes; a name holding a newline cannot
# travel in this list and is refused.
list_archives() {
  dir=${TWEETLOAD_DATA_DIR:-$ROOT/data}
  [ -d "$dir" ] || die "no data folder at $dir: set TWEETLOAD_DATA_DIR to the folder holding your archives."
  nl='
'
  found=$(
    # The patterns list the folder; an unmatched one stays literal and is passed over.
    for path in "$dir"/* "$dir"/.[!.]* "$dir"/..?*; do
      [ -e "$path" ] || [ -L "$path" ] || continue
      case $path in *"$nl"*) die "$dir holds a name with a line break; rename it to load it." ;; esac
      reason=$(entry_verdict "$path")
      if [ -n "$reason" ]; then
        printf '%s: passed over %s: %s\n' "${0##*/}" "$path" "$reason" >&2
      else
        printf '%s\n' "$path"
      fi
    done | LC_ALL=C sort
  )
  [ -n "$found" ] || die "no archives ($ACCEPTED_NAMES) in $dir."
  printf '%s\n' "$found"
}

url_var() {
  case $1 in
    denormalized) echo TWEETLOAD_DENORMALIZED_URL ;;
    normalized) echo TWEETLOAD_NORMALIZED_URL ;;
    normalized_batch) echo TWEETLOAD_NORMALIZED_BATCH_URL ;;
  esac
}

# Where a database's rows will go, for the log; never prints a password.
describe_target() {
  var=$(url_var "$1")
  eval "url=\${$var:-}"
  if [ -n "$url" ]; then
    printf '%s (from %s)\n' "$(printf '%s' "$url" | sed -e 's#^\([a-z]*://[^:/@]*\):[^@]*@#\1:***@#')" "$var"
  elif [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
    echo "pg_$1 on the server of PGHOST/PGPORT/PGUSER"
  else
    echo "the embedded cluster (tweetload db up)"
  fi
}

# With no database named anywhere, the CLI falls back to the embedded clusters: start them
# (a no-op when they run already) so that a fresh clone needs no setup.
ensure_targets() {
  for db in "$@"; do
    var=$(url_var "$db")
    eval "url=\${$var:-}"
    [ -n "$url" ] || [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ] || {
      echo "No URL for $db in the environment: starting the embedded databases (tweetload db up)."
      tweetload db up
      return
    }
  done
}

# Runs a command under the POSIX `time -p` (the shell keyword in bash, /usr/bin/time in dash);
# measures with date where neither exists. Returns the command's status.
timed() {
  if command -v time >/dev/null 2>&1; then
    time -p "$@"
  else
    start=$(date +%s)
    status=0
    "$@" || status=$?
    printf 'real %s\n' "$(($(date +%s) - start))" >&2
    return "$status"
  fi
}

banner() {
  echo '================================================================================'
  echo "$*"
  echo '================================================================================'
}
