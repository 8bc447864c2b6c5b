#!/usr/bin/env bash
# What a silo holds in memory for the subscribers' scheduled work, measured on the private PostgreSQL in one run:
# the silo started on a database with no scheduled work, with ROWS due_work rows (schema 0111, what the grid stores
# now), and with ROWS per-number Orleans reminders (what it stored before 0111). Rows are made with generate_series,
# shaped like the grid's own (a 32-byte digest, a sealed-size key, due times spread over a year). For each case: seconds
# until the silo is Active in the membership table and until its working set (VmRSS) stopped growing, and that working set.
#
#   REALNAME_PG_PORT=55462 scripts/measure-due-work.sh [ROWS]     (default 1000000; 100000 is a quick variant)
#
# Uses the silo build of $REALNAME_CONFIGURATION (Release; REALNAME_CONFIGURATION=Debug for a test build) and a
# database of its own (realname_due_measure), dropped at the end. The machine's load average is printed with each figure.
set -euo pipefail
. "$(dirname "$0")/common.sh"

ROWS="${1:-1000000}"
SILO_DLL="$REPO_ROOT/silo/RealName.Silo/bin/$REALNAME_CONFIGURATION/net10.0/RealName.Silo.dll"
[ -f "$SILO_DLL" ] || die "build the silo first: dotnet build silo/RealName.Silo -c $REALNAME_CONFIGURATION"
[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [ROWS]"

"$REPO_ROOT/scripts/postgres.sh" start
ensure_secrets
mkdir -p "$LOG_DIR"
export REALNAME_PG_DB=realname_due_measure
OWNER="$(owner_connection_string)"
GRID="$(grid_connection_string)"
sql() { PGPASSWORD="$(cat "$PG_DIR/password")" psql -h 127.0.0.1 -p "$REALNAME_PG_PORT" -U realname -d "${2:-$REALNAME_PG_DB}" -qAt -v ON_ERROR_STOP=1 -c "$1"; }
sql "DROP DATABASE IF EXISTS $REALNAME_PG_DB" postgres
sql "CREATE DATABASE $REALNAME_PG_DB" postgres

SILO_PID=""
# rss: the silo's working set in MB.
rss() { awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$SILO_PID/status"; }

# run_silo NAME: starts a silo, waits until it is Active in the membership table, then until its working set stops
# growing (less than 2 MB in 10 s: the reminder service loads its range after the silo is Active), prints both times
# and the working set, and stops the silo.
run_silo() {
  local cluster="measure-$RANDOM" started active settled now last=0 steady=0
  started=$(date +%s.%N)
  (cd "$(dirname "$SILO_DLL")" && ConnectionStrings__RealName="$GRID" ConnectionStrings__RealNameOwner="$OWNER" \
    Cluster__ClusterId="$cluster" Cluster__SiloPort=11190 Cluster__GatewayPort=30090 \
    Telemetry__SiloMetricsUrl="http://127.0.0.1:9490/" exec dotnet "$SILO_DLL" >"$LOG_DIR/measure-silo.log" 2>&1) &
  SILO_PID=$!
  until [ "$(sql "SELECT status FROM orleansmembershiptable WHERE deploymentid = '$cluster' ORDER BY generation DESC LIMIT 1" 2>/dev/null)" = "3" ]; do
    kill -0 "$SILO_PID" 2>/dev/null || die "the silo exited; see $LOG_DIR/measure-silo.log"
    sleep 0.5
  done
  active=$(echo "$(date +%s.%N) - $started" | bc)
  while [ "$steady" -lt 5 ]; do
    sleep 2
    now=$(rss)
    if [ $((now - last)) -lt 2 ]; then steady=$((steady + 1)); else steady=0; fi
    last=$now
  done
  settled=$(echo "$(date +%s.%N) - $started - 10" | bc)
  printf '%-26s %5.1f s to Active, %5.1f s to a steady working set of %5d MB   (load average %s)\n' \
    "$1" "$active" "$settled" "$last" "$(cut -d' ' -f1-3 /proc/loadavg)"
  kill "$SILO_PID" 2>/dev/null || true
  wait "$SILO_PID" 2>/dev/null || true
  SILO_PID=""
}
trap 'if [ -n "$SILO_PID" ]; then kill "$SILO_PID" 2>/dev/null || true; fi' EXIT

# The first start applies the schema and registers the sweepers; it is not measured.
run_silo "(schema, not counted)" >/dev/null
run_silo "no scheduled work"

sql "INSERT INTO due_work (key_digest, kind, partition, due_at, grain_key)
     SELECT d, 'periodic-re-review', get_byte(d, 0) % 16, now() + interval '1 day' + (i % 525600) * interval '1 minute',
            substring(sha256(d) || sha256(d) from 1 for 59)
     FROM generate_series(1, $ROWS) i, LATERAL (SELECT sha256(('measure-' || i)::bytea) AS d) digest"
sql "VACUUM ANALYZE due_work"
run_silo "$ROWS due_work rows"
echo "due_work: $(sql "SELECT pg_size_pretty(pg_total_relation_size('due_work'))") with its indexes"

sql "TRUNCATE due_work;
     INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
     SELECT 'realname', 'subscriber/1' || lpad(i::text, 10, '0'), 'periodic-re-review',
            now() + interval '1 day' + (i % 525600) * interval '1 minute', 31536000000, hashtext('subscriber/' || i), 0
     FROM generate_series(1, $ROWS) i"
sql "VACUUM ANALYZE orleansreminderstable"
run_silo "$ROWS Orleans reminders"

sql "DROP DATABASE $REALNAME_PG_DB WITH (FORCE)" postgres
