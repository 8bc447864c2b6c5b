#!/usr/bin/env bash
# Runs the whole grid on this machine: PostgreSQL (private instance unless REALNAME_CONNECTION_STRING
# is set), N silos (REALNAME_SILOS, default 1) and the gRPC gateway on 127.0.0.1:50051.
#   scripts/run-grid.sh            start and stay in the foreground; Ctrl-C stops everything (data is kept)
#   scripts/run-grid.sh --detach   start, print how to call it, and return
#   scripts/run-grid.sh --silos N  (with or without --detach) start N silos on the same PostgreSQL; they form
#                                  one cluster through ADO.NET clustering (same as REALNAME_SILOS=N)
#   scripts/run-grid.sh stop       stop a detached grid
#   scripts/run-grid.sh silo N     start silo N of a detached grid again (after it was killed)
set -euo pipefail
. "$(dirname "$0")/common.sh"

RUN_DIR="$REALNAME_DATA/run"
SILOS="${REALNAME_SILOS:-1}"
# The Orleans dashboard, on for a developer's grid; Telemetry__Dashboard=false turns it off (as for a benchmark: it
# samples every gauge each second, and two of them walk every activation).
export Telemetry__Dashboard="${Telemetry__Dashboard:-true}"
GRPC_URL="${REALNAME_GRPC_URL:-http://127.0.0.1:50051}"
WEB_URL="${REALNAME_WEB_URL:-http://127.0.0.1:8080}"
# Silo i listens on SILO_PORT_BASE+i (silo to silo) and GATEWAY_PORT_BASE+i (clients).
SILO_PORT_BASE="${REALNAME_SILO_PORT_BASE:-11110}"
GATEWAY_PORT_BASE="${REALNAME_GATEWAY_PORT_BASE:-29999}"
# Silo i serves its Prometheus metrics at http://127.0.0.1:(METRICS_PORT_BASE+i)/metrics (9464 for silo 1).
METRICS_PORT_BASE="${REALNAME_SILO_METRICS_PORT_BASE:-9463}"
SILO_DIR="$REPO_ROOT/silo/RealName.Silo/bin/$REALNAME_CONFIGURATION/net10.0"
GATEWAY_DIR="$REPO_ROOT/gateway/RealName.Gateway/bin/$REALNAME_CONFIGURATION/net10.0"

start_silo() {
  (cd "$SILO_DIR" && Cluster__SiloPort=$((SILO_PORT_BASE + $1)) Cluster__GatewayPort=$((GATEWAY_PORT_BASE + $1)) \
    Telemetry__SiloMetricsUrl="http://127.0.0.1:$((METRICS_PORT_BASE + $1))/" \
    exec dotnet RealName.Silo.dll >>"$LOG_DIR/silo-$1.log" 2>&1) &
  echo $! > "$RUN_DIR/silo-$1.pid"
  log "silo $1 starting (pid $!, log $LOG_DIR/silo-$1.log)"
}

stop_grid() {
  local pidfile
  for pidfile in "$RUN_DIR"/gateway.pid "$RUN_DIR"/silo-*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$RUN_DIR"/gateway.pid "$RUN_DIR"/silo-*.pid; do
    [ -f "$pidfile" ] || continue
    for _ in $(seq 1 100); do kill -0 "$(cat "$pidfile")" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  "$REPO_ROOT/scripts/postgres.sh" stop
}

ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --silos)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "usage: $0 [--detach] [--silos N]"
      SILOS="$2"; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
set -- "${ARGS[@]+"${ARGS[@]}"}"

case "${1:-}" in
  stop) stop_grid; exit 0 ;;
  silo)
    [[ "${2:-}" =~ ^[0-9]+$ ]] || die "usage: $0 silo N"
    ensure_secrets
    mkdir -p "$RUN_DIR" "$LOG_DIR"
    export ConnectionStrings__RealName="$(grid_connection_string)"
    export ConnectionStrings__RealNameOwner="$(owner_connection_string)"
    start_silo "$2"
    exit 0 ;;
  --detach|"") ;;
  *) die "usage: $0 [--detach|stop|silo N] [--silos N]" ;;
esac
DETACH=0; [ "${1:-}" = "--detach" ] && DETACH=1

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for url in "$GRPC_URL" "$WEB_URL"; do
  port="${url##*:}"; port="${port%%/*}"
  if port_in_use "$port"; then
    die "port $port is already in use (a grid already running? stop it with: scripts/run-grid.sh stop)"
  fi
done

"$REPO_ROOT/scripts/prereqs.sh"
"$REPO_ROOT/scripts/postgres.sh" start
ensure_secrets
mkdir -p "$RUN_DIR" "$LOG_DIR"

log "building ($REALNAME_CONFIGURATION)"
for project in silo/RealName.Silo gateway/RealName.Gateway; do
  dotnet build "$REPO_ROOT/$project" -c "$REALNAME_CONFIGURATION" -nologo -v q -clp:ErrorsOnly
done

export ConnectionStrings__RealName="$(grid_connection_string)"
export ConnectionStrings__RealNameOwner="$(owner_connection_string)"
for i in $(seq 1 "$SILOS"); do
  start_silo "$i"
done

# The gateway migrates nothing and signs nothing: it gets neither the owner's connection nor the signing key.
(cd "$GATEWAY_DIR" && unset ConnectionStrings__RealNameOwner AuditCheckpoints__SigningKey \
  && Kestrel__Endpoints__Grpc__Url="$GRPC_URL" Kestrel__Endpoints__Web__Url="$WEB_URL" \
  exec dotnet RealName.Gateway.dll >"$LOG_DIR/gateway.log" 2>&1) &
echo $! > "$RUN_DIR/gateway.pid"
log "gateway starting (pid $!, log $LOG_DIR/gateway.log)"

for _ in $(seq 1 120); do
  if curl -fsS "$WEB_URL/healthz" 2>/dev/null | grep -q Healthy; then break; fi
  for pidfile in "$RUN_DIR"/*.pid; do
    kill -0 "$(cat "$pidfile")" 2>/dev/null || { tail -n 30 "$LOG_DIR"/*.log >&2; stop_grid; die "$(basename "$pidfile" .pid) exited during start-up"; }
  done
  sleep 1
done
curl -fsS "$WEB_URL/healthz" 2>/dev/null | grep -q Healthy || { stop_grid; die "the grid did not become healthy in 120 s (logs: $LOG_DIR)"; }
kill -0 "$(cat "$RUN_DIR/gateway.pid")" 2>/dev/null || { tail -n 30 "$LOG_DIR/gateway.log" >&2; stop_grid; die "the gateway exited during start-up"; }

DASHBOARD_NOTE="Orleans dashboard, sign in with the ADMIN key"
[ "$Telemetry__Dashboard" = true ] || DASHBOARD_NOTE="Orleans dashboard: off, Telemetry__Dashboard=false"
cat >&2 <<MSG

RealName grid is ready.
  gRPC (h2c):  ${GRPC_URL}   health: ${WEB_URL}/healthz
  operations:  ${WEB_URL}/metrics (gateway), http://127.0.0.1:$((METRICS_PORT_BASE + 1))/metrics (silo 1, Prometheus)
               ${WEB_URL}/dashboard ($DASHBOARD_NOTE)
  API keys:    ADMIN=$(api_key ADMIN)   (issues and revokes callers: realname callers --help)
               RETAIL_TERMINAL=$(api_key RETAIL_TERMINAL)   ONLINE_SALES=$(api_key ONLINE_SALES)   (carrier cmcc)
               REVIEWER=$(api_key REVIEWER)   RISK_OPERATOR=$(api_key RISK_OPERATOR)
               AUDITOR=$(api_key AUDITOR)   (from $SECRETS_FILE; send as x-api-key)
  try:         tools/node/node_modules/.bin/buf curl --http2-prior-knowledge --protocol grpc --schema proto \\
                 -H "x-api-key: $(api_key RETAIL_TERMINAL)" \\
                 ${GRPC_URL}/realname.v1.RegistrationService/GetSubscriber -d '{"phone_number":"13800138000"}'
  logs:        $LOG_DIR
MSG

if [ "$DETACH" = 1 ]; then
  log "detached; stop with: scripts/run-grid.sh stop"
  exit 0
fi
trap 'log "stopping"; stop_grid; exit 0' INT TERM
log "press Ctrl-C to stop"
wait
