#!/usr/bin/env bash
# Runs every test of the grid: contract lint, then all xunit projects (unit, Orleans TestingHost,
# real PostgreSQL, real gRPC sockets, real face models on the shared photos).
# Uses the private PostgreSQL instance (started if needed) or REALNAME_CONNECTION_STRING.
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Face]
#   scripts/test.sh --unit [extra arguments]   only tests/RealName.UnitTests: the rule book, mappers and
#                                              architecture rules; no PostgreSQL, no browser, seconds to run
set -euo pipefail
. "$(dirname "$0")/common.sh"

results="$REALNAME_DATA/test-results"

# One closing line with the totals over every test assembly (each ends with a "Test Run" block).
print_totals() {
  awk '
    /^Test Run (Successful|Failed|Aborted)/ { n++; block = 1; next }
    block && /^ *Total tests:/ { t += $3; next }
    block && /^ *Passed:/      { p += $2; next }
    block && /^ *Failed:/      { f += $2; next }
    block && /^ *Skipped:/     { s += $2; next }
    block && /^ *Total time:/  { block = 0 }
    END { printf "\nTest assemblies: %d, tests: %d\nTotals: %d passed, %d failed, %d skipped\n", n, t, p, f, s }
  ' "$@"
}

# The failed tests by name with the first lines of their messages, so the end of a long log says what failed.
print_failures() {
  awk '
    /^  Failed / { print; shown = 0; want = 1; next }
    want && /^  (Passed|Skipped) / { want = 0; next }
    want && shown < 6 && !/^ *$/ { print "    " $0; shown++ }
  ' "$@" | cut -c1-300
}

# Runs dotnet test on a project or solution, keeps the console log, prints the totals, returns the test status.
run_tests() {
  local target=$1; shift
  rm -rf "$results"; mkdir -p "$results"
  set +e
  dotnet test "$target" -c "$REALNAME_CONFIGURATION" --no-build -nologo \
    --logger "console;verbosity=normal" --results-directory "$results" "$@" 2>&1 | tee "$results/console.log"
  local status=${PIPESTATUS[0]}
  set -e
  print_failures "$results/console.log"
  print_totals "$results/console.log"
  return "$status"
}

if [ "${1:-}" = "--unit" ]; then
  shift
  command -v dotnet >/dev/null || die ".NET SDK 10 is required (https://dot.net)"
  unit="$REPO_ROOT/tests/RealName.UnitTests/RealName.UnitTests.csproj"
  log "building the unit tests ($REALNAME_CONFIGURATION)"
  dotnet build "$unit" -c "$REALNAME_CONFIGURATION" -nologo -v q -clp:ErrorsOnly
  run_tests "$unit" "$@"
  exit
fi

REALNAME_WITH_BROWSER=1 "$REPO_ROOT/scripts/prereqs.sh"
# Leave PostgreSQL as we found it: stop it afterwards only if this run started it.
if [ -z "${REALNAME_CONNECTION_STRING:-}" ] && ! "$REPO_ROOT/scripts/postgres.sh" status >/dev/null 2>&1; then
  trap '"$REPO_ROOT/scripts/postgres.sh" stop' EXIT
fi
"$REPO_ROOT/scripts/postgres.sh" start
ensure_secrets
export REALNAME_TEST_CONNECTION="${REALNAME_OWNER_CONNECTION_STRING:-${REALNAME_CONNECTION_STRING:-$(owner_connection_string)}}"

log "buf lint (STANDARD rules)"
(cd "$REPO_ROOT/proto" && "$REPO_ROOT/tools/node/node_modules/.bin/buf" lint)
log "buf lint: clean"

log "building ($REALNAME_CONFIGURATION)"
dotnet build "$REPO_ROOT/RealName.sln" -c "$REALNAME_CONFIGURATION" -nologo -v q -clp:ErrorsOnly

# Everything the grid logs during the run is kept, then searched for personal data in clear (RunLogScanTests).
run_logs="$REALNAME_DATA/test-logs"
rm -rf "$run_logs"; mkdir -p "$run_logs"
status=0
REALNAME_TEST_LOG_DIR="$run_logs" run_tests "$REPO_ROOT/RealName.sln" "$@" || status=$?
# Only a whole run is scanned (a filtered run's logs are too few to prove anything).
if [ $# -eq 0 ]; then
  log "scanning the run's logs for personal data ($(find "$run_logs" -name '*.log' | wc -l) files, $(cat "$run_logs"/*.log 2>/dev/null | wc -l) lines)"
  cp "$results/console.log" "$REALNAME_DATA/test-console.log"
  REALNAME_SCAN_RUN_LOGS="$run_logs" run_tests "$REPO_ROOT/tests/RealName.IntegrationTests/RealName.IntegrationTests.csproj" \
    --filter "FullyQualifiedName~RunLogScanTests" || status=1
  log "the whole run, the log scan included (skipped once in the run, then run on its logs):"
  print_failures "$REALNAME_DATA/test-console.log" "$results/console.log"
  print_totals "$REALNAME_DATA/test-console.log" "$results/console.log"
fi
exit "$status"
