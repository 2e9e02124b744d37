#!/bin/sh
# Run by the compose service citus_setup once the coordinator and the workers are healthy:
# names the coordinator and adds the workers (CITUS_WORKERS, host names separated by spaces)
# in the coordinator's postgres database, the cluster's node list that `tweetload db init
# --citus` (the next service, citus_init) reads to make the three databases on every node.
# citus_add_node returns the node's id when it is already added, so running this again
# changes nothing.
set -eu
psql -v ON_ERROR_STOP=1 -h "$CITUS_COORDINATOR" -U "$POSTGRES_USER" -d postgres \
  -c "SELECT citus_set_coordinator_host('$CITUS_COORDINATOR', 5432)"
for worker in $CITUS_WORKERS; do
  psql -v ON_ERROR_STOP=1 -h "$CITUS_COORDINATOR" -U "$POSTGRES_USER" -d postgres \
    -c "SELECT citus_add_node('$worker', 5432)"
done
echo "citus: workers $CITUS_WORKERS registered on $CITUS_COORDINATOR"
