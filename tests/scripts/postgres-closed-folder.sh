#!/usr/bin/env bash
# A clone under a folder only its owner may enter (mktemp -d as root: mode 700) must still start the private
# PostgreSQL: the postgres user cannot reach the clone's data folder, so postgres.sh keeps the cluster in a
# folder it can reach and says where. Starts and stops a private instance on a spare port; leaves nothing behind.
#   tests/scripts/postgres-closed-folder.sh        (as root; elsewhere there is no privilege drop to test)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"

if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (PostgreSQL runs as the postgres user only when started as root)"; exit 0; fi

closed="$(mktemp -d)"                    # mode 700, owned by root
fallback="$(mktemp -d)"; chmod 755 "$fallback"
# Below Linux's ephemeral range (32768-60999), where an outgoing connection of a test running beside this one could take
# the port as its source port between the probe and PostgreSQL's bind (seen in CI: "could not bind ... Address already
# in use"); and clear of the test assemblies' own ranges (FreePort 12000-22199, TestCluster 22300-29999) and of a grid's
# Orleans gateway (30000).
port=""
for p in $(seq 31000 31099); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "FAIL: no spare port in 31000-31099"; exit 1; }

export REALNAME_PG_PORT=$port REALNAME_PG_FALLBACK="$fallback"
unset REALNAME_DATA REALNAME_CONNECTION_STRING REALNAME_OWNER_CONNECTION_STRING
clone="$closed/realname"
mkdir -p "$clone"
cp -r "$REPO/scripts" "$clone/scripts"

cleanup() {
  "$clone/scripts/postgres.sh" stop >/dev/null 2>&1 || true
  rm -rf "$closed" "$fallback"
}
trap cleanup EXIT

[ "$(stat -c %a "$closed")" = 700 ] || { echo "FAIL: $closed is not mode 700"; exit 1; }
if runuser -u postgres -- test -x "$clone"; then echo "FAIL: the postgres user can enter $clone; the test proves nothing"; exit 1; fi

out="$("$clone/scripts/postgres.sh" start 2>&1)" || { echo "$out"; echo "FAIL: postgres.sh start failed in a closed folder"; exit 1; }
echo "$out"
grep -q "cannot enter $clone/data/postgres" <<<"$out" || { echo "FAIL: no message naming the folder the postgres user cannot enter"; exit 1; }
grep -q "keeping this clone's PostgreSQL cluster in $fallback/postgres-" <<<"$out" || { echo "FAIL: no message saying where the cluster is"; exit 1; }
[ -f "$fallback"/postgres-*/cluster/PG_VERSION ] || { echo "FAIL: no cluster under $fallback"; exit 1; }

# The connection string works (the owner's password is found where the cluster is), and a restart finds the same cluster.
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
conn="$("$clone/scripts/postgres.sh" connection-string)"
pass="$(sed -n 's/.*Password=\([^;]*\).*/\1/p' <<<"$conn")"
[ "$(PGPASSWORD="$pass" "$bin/psql" -h 127.0.0.1 -p "$port" -U realname -d postgres -tAc 'select 1')" = 1 ] \
  || { echo "FAIL: cannot connect with the printed connection string"; exit 1; }
"$clone/scripts/postgres.sh" stop
"$clone/scripts/postgres.sh" start 2>&1 | grep -q "PostgreSQL running" || { echo "FAIL: the second start did not find the cluster"; exit 1; }
[ "$(ls -d "$fallback"/postgres-* | wc -l)" = 1 ] || { echo "FAIL: a second start made a second cluster"; exit 1; }
echo "PASS: PostgreSQL started from a mode-700 folder, cluster kept in $(ls -d "$fallback"/postgres-*)"
