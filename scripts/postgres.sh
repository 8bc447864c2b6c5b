#!/usr/bin/env bash
# The grid's PostgreSQL: a private instance under $REALNAME_DATA/postgres on a loopback port
# (default 55432), or an external server when REALNAME_CONNECTION_STRING is set.
# Two roles: the bootstrap superuser realname owns the tables (migrations, test databases) and
# realname_grid, a member of realname_app, is what the silos and gateways log in as.
#   scripts/postgres.sh start|stop|status|connection-string|grid-connection-string
#   (connection-string: the owner's; grid-connection-string: the least-privilege role's)
set -euo pipefail
. "$(dirname "$0")/common.sh"

cmd="${1:-status}"
if [ -n "${REALNAME_CONNECTION_STRING:-}" ]; then
  case "$cmd" in
    connection-string) owner_connection_string ;;
    grid-connection-string) grid_connection_string ;;
    *) log "external PostgreSQL configured (REALNAME_CONNECTION_STRING): nothing to $cmd" ;;
  esac
  exit 0
fi

BIN="$(pg_bin_dir)"
DATA="$PG_DIR/cluster"
SOCK="$PG_DIR/run"

init_cluster() {
  if [ -n "$PG_DIR_MOVED" ]; then
    log "the postgres user cannot enter $PG_DIR_MOVED (a parent folder is closed to other users, e.g. mode 700):"
    log "keeping this clone's PostgreSQL cluster in $PG_DIR instead (set REALNAME_PG_FALLBACK or REALNAME_DATA to choose)"
  fi
  log "initialising private PostgreSQL in $DATA"
  # Enterable by the postgres user whatever the caller's umask (a new fallback parent included).
  (umask 022; mkdir -p "$PG_DIR" "$SOCK")
  if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$PG_DIR" 2>/dev/null; then
    die "the postgres user cannot enter $PG_DIR (PostgreSQL runs as that user when started as root); open the folders above it to others (chmod o+x) or set REALNAME_DATA or REALNAME_PG_FALLBACK to a folder it can reach"
  fi
  (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$PG_DIR/password")
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PG_DIR"; fi
  as_pg_owner "$BIN/initdb" -D "$DATA" -U realname --pwfile="$PG_DIR/password" \
    --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $REALNAME_PG_PORT
unix_socket_directories = '$SOCK'
fsync = on
synchronous_commit = on
max_connections = 200
CONF
}

running() { as_pg_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# The grid's login role: not owner, not superuser. The schema (0023_grid_role.sql) grants realname_app
# what the grid needs; the role is created here too so the grid can log in before its first migration.
ensure_grid_role() {
  [ -f "$PG_DIR/grid-password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$PG_DIR/grid-password")
  PGPASSWORD="$(cat "$PG_DIR/password")" "$BIN/psql" -h 127.0.0.1 -p "$REALNAME_PG_PORT" -U realname -d postgres -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'realname_app') THEN CREATE ROLE realname_app NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'realname_grid') THEN CREATE ROLE realname_grid LOGIN; END IF;
END
\$\$;
ALTER ROLE realname_grid WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '$(cat "$PG_DIR/grid-password")';
GRANT realname_app TO realname_grid;
SQL
}

case "$cmd" in
  start)
    [ -f "$DATA/PG_VERSION" ] || init_cluster
    if running; then ensure_grid_role; log "PostgreSQL already running on 127.0.0.1:$REALNAME_PG_PORT"; exit 0; fi
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$PG_DIR"; fi
    as_pg_owner "$BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/server.log" -w -t 60 start >/dev/null \
      || { tail -n 20 "$PG_DIR/server.log" >&2; die "PostgreSQL did not start"; }
    ensure_grid_role
    log "PostgreSQL running on 127.0.0.1:$REALNAME_PG_PORT (data: $DATA${PG_DIR_MOVED:+, kept outside $PG_DIR_MOVED because the postgres user cannot enter it})"
    ;;
  stop)
    if running; then as_pg_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; log "PostgreSQL stopped (data kept in $DATA)"; fi
    ;;
  status)
    if running; then echo "running"; else echo "stopped"; exit 3; fi
    ;;
  connection-string)
    owner_connection_string
    ;;
  grid-connection-string)
    grid_connection_string
    ;;
  *) die "usage: $0 start|stop|status|connection-string|grid-connection-string" ;;
esac
