#!/bin/sh
# A Citus coordinator and two workers behind a network delay, on this machine only, for
# the delay runs of docs/citus.md (root; PostgreSQL 15 and Citus installed, never built here).
#
#   tools/delay-bed.sh up [DELAY_US]   # make (first time) and start the bed; default 250 µs
#   tools/delay-bed.sh down            # stop the servers, remove namespaces and delay line
#   tools/delay-bed.sh wipe            # down, then delete the bed's data directories
#
# Each server runs in a network namespace of its own (td77n0 coordinator, td77n1 and td77n2
# workers) at 10.77.N.2, port 26750+N; the client stays in this machine's namespace. Each
# namespace is joined to the client's by a pair of TUN devices that tools/delay-line.c
# forwards DELAY_US late each way (this kernel has no sch_netem for `tc netem`), so:
#   client <-> node: one delay each way (2 x DELAY_US a round trip);
#   node <-> node:   routed through the client's namespace, two delays each way.
# The servers listen on their 10.77.N.2 address and their namespace's own 127.0.0.1 (Citus
# connects to itself at localhost); their Unix sockets live in the bed's
# directory, so use TCP URLs (below) to go through the delay. A new bed is an empty
# cluster: citus in each `postgres` database, the workers registered on the coordinator,
# no tweetload database anywhere (`tweetload db reset --citus` makes them).
#
#   export TWEETLOAD_DENORMALIZED_URL=postgres://postgres@10.77.0.2:26750/pg_denormalized
#   (and pg_normalized, pg_normalized_batch alike)
#
# BED (default /tmp/tweetload-delay-bed) holds the data directories, logs, the compiled delay
# line and its pid. Settings as the Citus bed of docs/citus.md: fsync on, 128MB buffers.
# A second bed beside it (e.g. the same run without delay, `up 0`) takes its own BED, NET
# (the addresses' second number, default 77) and PORT (the coordinator's, default 26750).
set -eu
BED=${BED:-/tmp/tweetload-delay-bed}
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
TOOLS=$(cd "$(dirname "$0")" && pwd)
NET=${NET:-77}
PORT=${PORT:-26750}
NODES="0 1 2"
ns() { echo "td${NET}n$1"; }
addr() { echo "10.$NET.$1.2"; }
port() { echo $((PORT + $1)); }
pg() { runuser -u postgres -- "$@"; }
sql() { # node database statement
  ip netns exec "$(ns "$1")" runuser -u postgres -- "$BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$(addr "$1")" -p "$(port "$1")" -U postgres -d "$2" -c "$3" >/dev/null
}

down() {
  # Every server first, then the namespaces: a server whose peers' namespace is gone waits
  # on their connections (no reset ever comes back) and does not stop.
  for i in $NODES; do
    if [ -f "$BED/n$i/postmaster.pid" ]; then
      pg "$BIN/pg_ctl" -D "$BED/n$i" -m fast -w -t 120 stop >/dev/null || true
    fi
  done
  for i in $NODES; do ip netns del "$(ns "$i")" 2>/dev/null || true; done
  if [ -f "$BED/delay-line.pid" ]; then
    kill "$(cat "$BED/delay-line.pid")" 2>/dev/null || true
    rm -f "$BED/delay-line.pid"
  fi
  if [ -f "$BED/ip_forward.before" ]; then
    cat "$BED/ip_forward.before" >/proc/sys/net/ipv4/ip_forward
    rm -f "$BED/ip_forward.before"
  fi
}

up() {
  delay=${1:-250}
  mkdir -p "$BED"
  chown postgres "$BED"
  cc -O2 -o "$BED/delay-line" "$TOOLS/delay-line.c"
  [ -f "$BED/ip_forward.before" ] || cat /proc/sys/net/ipv4/ip_forward >"$BED/ip_forward.before"
  echo 1 >/proc/sys/net/ipv4/ip_forward
  pairs=""
  for i in $NODES; do pairs="$pairs td${NET}c$i td${NET}s$i"; done
  # Real-time priority: on a busy machine the line would otherwise wait for a CPU and add
  # milliseconds to each packet (measured: 2.1 ms a round trip at load 7, 0.5 ms with it).
  # shellcheck disable=SC2086 # one argument per device
  chrt -f 50 "$BED/delay-line" "$delay" $pairs >"$BED/delay-line.log" 2>&1 &
  echo $! >"$BED/delay-line.pid"
  for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q ready "$BED/delay-line.log" && break; sleep 0.2; done
  grep -q ready "$BED/delay-line.log" || { cat "$BED/delay-line.log" >&2; exit 1; }
  fresh=""
  for i in $NODES; do
    n=$(ns "$i")
    ip netns add "$n"
    ip netns exec "$n" ip link set lo up
    ip link set "td${NET}s$i" netns "$n"
    ip addr add "10.$NET.$i.1" peer "$(addr "$i")" dev "td${NET}c$i"
    ip link set "td${NET}c$i" up
    ip netns exec "$n" ip addr add "$(addr "$i")" peer "10.$NET.$i.1" dev "td${NET}s$i"
    ip netns exec "$n" ip link set "td${NET}s$i" up
    ip netns exec "$n" ip route add default dev "td${NET}s$i"
    if [ ! -d "$BED/n$i" ]; then
      pg "$BIN/initdb" -D "$BED/n$i" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >/dev/null
      echo "host all all 10.$NET.0.0/16 trust" >>"$BED/n$i/pg_hba.conf"
      fresh="$fresh $i"
    fi
    ip netns exec "$n" runuser -u postgres -- "$BIN/pg_ctl" -D "$BED/n$i" -l "$BED/n$i.log" -w \
      -o "-p $(port "$i") -k $BED -c listen_addresses=$(addr "$i"),127.0.0.1 -c max_connections=300 -c shared_preload_libraries=citus" \
      start >/dev/null
  done
  for i in $fresh; do sql "$i" postgres "CREATE EXTENSION citus"; done
  case "$fresh" in
  *0*)
    sql 0 postgres "SELECT citus_set_coordinator_host('$(addr 0)', $(port 0))"
    for i in $NODES; do
      [ "$i" = 0 ] || sql 0 postgres "SELECT citus_add_node('$(addr "$i")', $(port "$i"))"
    done
    ;;
  esac
  echo "delay bed up: coordinator $(addr 0):$(port 0), workers $(addr 1):$(port 1), $(addr 2):$(port 2); ${delay} µs each way client-node"
}

case "${1:-}" in
up) up "${2:-250}" ;;
down) down ;;
wipe)
  down
  for i in $NODES; do rm -rf "$BED/n$i" "$BED/n$i.log"; done
  ;;
*)
  echo "usage: tools/delay-bed.sh up [DELAY_US] | down | wipe" >&2
  exit 2
  ;;
esac
