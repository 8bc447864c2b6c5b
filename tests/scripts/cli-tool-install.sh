#!/usr/bin/env bash
# The CLI as a .NET tool, as a user installs it: pack tools/RealName.Cli into a local folder, install it from there
# with `dotnet tool install --tool-path`, and run `realname --help`. Uses the build of REALNAME_CONFIGURATION
# (scripts/test.sh builds it first) and leaves nothing behind.
#   tests/scripts/cli-tool-install.sh
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
config="${REALNAME_CONFIGURATION:-Release}"
work="$(mktemp -d)"
# A tool's launcher finds .NET in its default folder or through DOTNET_ROOT; a machine whose SDK sits elsewhere
# (a dotnet-install.sh copy on PATH) needs DOTNET_ROOT, as the README says for installing the tool.
if [ -z "${DOTNET_ROOT:-}" ]; then
  export DOTNET_ROOT="$(dirname "$(readlink -f "$(command -v dotnet)")")"
fi
trap 'rm -rf "$work"' EXIT

build_flag=(--no-build)
[ -f "$REPO/tools/RealName.Cli/bin/$config/net10.0/realname.dll" ] || build_flag=()
dotnet pack "$REPO/tools/RealName.Cli/RealName.Cli.csproj" -c "$config" "${build_flag[@]}" -o "$work/feed" -nologo -v q >"$work/pack.log" 2>&1 \
  || { cat "$work/pack.log"; echo "FAIL: dotnet pack"; exit 1; }
package="$(ls "$work/feed"/RealName.Cli.*.nupkg)"
version="$(basename "$package" .nupkg)"; version="${version#RealName.Cli.}"

dotnet tool install RealName.Cli --version "$version" --tool-path "$work/tools" --add-source "$work/feed" --ignore-failed-sources >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; echo "FAIL: dotnet tool install"; exit 1; }

help="$("$work/tools/realname" --help)" || { echo "$help"; echo "FAIL: realname --help exited non-zero"; exit 1; }
echo "$help"
for group in face grid bench keys callers; do
  grep -qE "^  $group " <<<"$help" || { echo "FAIL: realname --help does not list the '$group' commands"; exit 1; }
done
"$work/tools/realname" face eval --help | grep -q -- "--json" || { echo "FAIL: realname face eval --help"; exit 1; }
# Long commands show progress on stderr, and nothing but their JSON with --json (a bench of 0 requests needs no grid).
"$work/tools/realname" bench --requests 0 --key unused >"$work/out" 2>"$work/err"
grep -q "in flight" "$work/err" || { cat "$work/err"; echo "FAIL: bench showed no progress on stderr"; exit 1; }
"$work/tools/realname" bench --requests 0 --key unused --json >"$work/out" 2>"$work/err"
[ ! -s "$work/err" ] || { cat "$work/err"; echo "FAIL: bench --json wrote to stderr"; exit 1; }
grep -q '^{"scenario":"faces"' "$work/out" || { cat "$work/out"; echo "FAIL: bench --json printed no JSON object"; exit 1; }
# A careless flag gets one line that names it and exit code 2, not an unhandled exception.
status=0; "$work/tools/realname" bench --concurrency 0 --requests 1 --key unused >"$work/out" 2>"$work/err" || status=$?
[ "$status" = 2 ] && grep -q "^realname: --concurrency" "$work/err" && ! grep -q "Unhandled exception" "$work/err" \
  || { cat "$work/err"; echo "FAIL: a bad --concurrency was not refused with one line and exit code 2 (got $status)"; exit 1; }
echo "PASS: realname $version installed from a local package and answered --help"
