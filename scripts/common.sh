# Shared settings for the grid's scripts. Source it; do not run it.
# Everything the grid writes at run time lives under $REALNAME_DATA (default: ./data in the repo).
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REALNAME_DATA="${REALNAME_DATA:-$REPO_ROOT/data}"
REALNAME_PG_PORT="${REALNAME_PG_PORT:-55432}"
REALNAME_PG_DB="${REALNAME_PG_DB:-realname}"
REALNAME_CONFIGURATION="${REALNAME_CONFIGURATION:-Release}"
PG_DIR="$REALNAME_DATA/postgres"
# As root, PostgreSQL runs as the postgres user, who must be able to enter the cluster's folder. A clone under a
# folder only its owner may enter (root's home, `mktemp -d`) cannot hold it: the cluster then lives under
# $REALNAME_PG_FALLBACK (default /var/lib/realname), in a folder named after this data folder's path, so each
# clone keeps its own. PG_DIR_MOVED says so, for the message start prints.
PG_DIR_MOVED=""
if [ "$(id -u)" = 0 ] && [ ! -f "$PG_DIR/cluster/PG_VERSION" ] && id postgres >/dev/null 2>&1; then
  # The nearest folder that exists on the way to PG_DIR: the ones below it will be made by us, enterable by all.
  _reach="$PG_DIR"
  while [ ! -e "$_reach" ]; do _reach="$(dirname "$_reach")"; done
  if ! runuser -u postgres -- test -x "$_reach" 2>/dev/null; then
    PG_DIR_MOVED="$PG_DIR"
    _key="$(cd "$REALNAME_DATA" 2>/dev/null && pwd -P || echo "$REALNAME_DATA")"
    PG_DIR="${REALNAME_PG_FALLBACK:-/var/lib/realname}/postgres-$(printf '%s' "$_key" | sha256sum | cut -c1-12)"
  fi
  unset _reach _key
fi
LOG_DIR="$REALNAME_DATA/logs"
SECRETS_FILE="$REALNAME_DATA/secrets.env"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

pg_bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] || die "PostgreSQL server binaries not found; run scripts/prereqs.sh (apt package postgresql)"
  echo "$d"
}

# Runs a command as the postgres OS user when we are root (PostgreSQL refuses to run as root).
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The connection string the grid uses: an external one when given, else the private instance's
# least-privilege role realname_grid (a member of realname_app: appends to the audit log, never changes it).
grid_connection_string() {
  if [ -n "${REALNAME_CONNECTION_STRING:-}" ]; then
    echo "$REALNAME_CONNECTION_STRING"
  else
    echo "Host=127.0.0.1;Port=$REALNAME_PG_PORT;Username=realname_grid;Password=$(cat "$PG_DIR/grid-password");Database=$REALNAME_PG_DB"
  fi
}

# The tables' owner, used to migrate the schema (and by the tests to create databases): an external one
# when REALNAME_OWNER_CONNECTION_STRING is given, none for an external server without it (the silo then
# migrates over the grid's connection and warns), else the private instance's bootstrap superuser.
owner_connection_string() {
  if [ -n "${REALNAME_OWNER_CONNECTION_STRING:-}" ]; then
    echo "$REALNAME_OWNER_CONNECTION_STRING"
  elif [ -z "${REALNAME_CONNECTION_STRING:-}" ]; then
    echo "Host=127.0.0.1;Port=$REALNAME_PG_PORT;Username=realname;Password=$(cat "$PG_DIR/password");Database=$REALNAME_PG_DB"
  fi
}

# Secrets generated once per data folder, never committed.
ensure_secrets() {
  mkdir -p "$REALNAME_DATA"
  # Secret files are private; the caller's umask is restored at the end (it is inherited by everything after).
  local saved_umask
  saved_umask=$(umask)
  if [ ! -f "$SECRETS_FILE" ]; then
    umask 077
    echo "Identity__HmacKey=$(head -c 32 /dev/urandom | base64 -w0)" > "$SECRETS_FILE"
    log "generated identity HMAC key in $SECRETS_FILE (keep it: identity keys depend on it)"
  fi
  if ! grep -q '^Auth__Bootstrap__0__' "$SECRETS_FILE"; then
    # Local callers seeded into the callers table (as key hashes) at gateway start: one administrator,
    # who issues and revokes the others, and one caller per role so the README examples work.
    # Production issues callers with `realname callers issue`; only the first admin comes from here.
    umask 077
    sed -i '/^Auth__ApiKeys__/d' "$SECRETS_FILE"   # the configuration keys of older versions
    local i=0 entry name role carrier
    {
      for entry in admin:ADMIN retail:RETAIL_TERMINAL:cmcc online:ONLINE_SALES:cmcc reviewer:REVIEWER risk:RISK_OPERATOR auditor:AUDITOR; do
        IFS=: read -r name role carrier <<<"$entry"
        echo "Auth__Bootstrap__${i}__Name=local-$name"
        echo "Auth__Bootstrap__${i}__Role=$role"
        echo "Auth__Bootstrap__${i}__Key=rn_$(head -c 32 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')"
        if [ -n "$carrier" ]; then echo "Auth__Bootstrap__${i}__CarrierIds__0=$carrier"; fi
        i=$((i + 1))
      done
    } >> "$SECRETS_FILE"
    log "generated local caller keys (ADMIN and one per role) in $SECRETS_FILE"
  fi
  # Secrets introduced after a data folder was made are added to it once, so old folders keep working.
  add_secret Sealing__MasterKey "$(head -c 32 /dev/urandom | base64 -w0)" \
    "master key that seals personal data at rest (keep it: sealed records cannot be read without it)"
  if ! grep -q '^AuditCheckpoints__SigningKey=' "$SECRETS_FILE"; then
    # ECDSA P-256: the silo signs audit checkpoints with the private key; verifiers need only the public one.
    local pem
    pem=$(openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null) || die "openssl could not generate the checkpoint key"
    add_secret AuditCheckpoints__SigningKey "$(printf '%s\n' "$pem" | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0)" \
      "private key that signs audit checkpoints (keep it outside the database)"
    add_secret AuditCheckpoints__PublicKey "$(printf '%s\n' "$pem" | openssl pkey -pubout -outform DER | base64 -w0)" \
      "public key that verifies audit checkpoints"
  fi
  umask "$saved_umask"
  set -a; . "$SECRETS_FILE"; set +a
  ensure_local_liveness_sdk
}

# A local stand-in for an online channel's liveness SDK: a P-256 key pair whose private half stays in the data
# folder (to sign example attestations, see the README) and whose public half the silo trusts as provider
# "local", key id "dev". Production SDK keys are configured from the provider's published public keys.
LIVENESS_SDK_KEY="$REALNAME_DATA/liveness-sdk.pem"
ensure_local_liveness_sdk() {
  mkdir -p "$REALNAME_DATA"
  if [ ! -f "$LIVENESS_SDK_KEY" ]; then
    (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$LIVENESS_SDK_KEY" 2>/dev/null)
    log "generated a local liveness SDK key in $LIVENESS_SDK_KEY (provider \"local\", key id \"dev\")"
  fi
  Liveness__Providers__local__Keys__dev="$(openssl pkey -in "$LIVENESS_SDK_KEY" -pubout -outform DER 2>/dev/null | base64 -w0)"
  export Liveness__Providers__local__Keys__dev
}

# add_secret NAME VALUE WHY: appends NAME=VALUE to the secrets file unless NAME is there already.
add_secret() {
  grep -q "^$1=" "$SECRETS_FILE" && return 0
  (umask 077; echo "$1=$2" >> "$SECRETS_FILE")
  log "generated $1 in $SECRETS_FILE: $3"
}

# The local API key of a role (RETAIL_TERMINAL, ONLINE_SALES, REVIEWER, RISK_OPERATOR, AUDITOR, ADMIN), from the secrets file.
api_key() {
  local i
  for i in 0 1 2 3 4 5 6 7 8 9; do
    local role_var="Auth__Bootstrap__${i}__Role" key_var="Auth__Bootstrap__${i}__Key"
    if [ "${!role_var:-}" = "$1" ]; then echo "${!key_var}"; return; fi
  done
}
