#!/bin/sh
# Run by the compose service citus_setup once the coordinator and the workers are healthy:
# in each of the three databases, names the coordinator and adds the workers (CITUS_WORKERS,
# host names separated by spaces). citus_add_node returns the node's id when it is already
# added, so running this again changes nothing.
set -eu
for db in pg_denormalized pg_normalized pg_normalized_batch; do
  psql -v ON_ERROR_STOP=1 -h "$CITUS_COORDINATOR" -U "$POSTGRES_USER" -d "$db" \
    -c "SELECT citus_set_coordinator_host('$CITUS_COORDINATOR', 5432)"
  for worker in $CITUS_WORKERS; do
    psql -v ON_ERROR_STOP=1 -h "$CITUS_COORDINATOR" -U "$POSTGRES_USER" -d "$db" \
      -c "SELECT citus_add_node('$worker', 5432)"
  done
done
echo "citus: workers $CITUS_WORKERS registered in pg_denormalized, pg_normalized, pg_normalized_batch"
