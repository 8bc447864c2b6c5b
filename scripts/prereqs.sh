#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test the grid.
# Only installs when something is missing; needs root (or sudo) for apt.
set -euo pipefail
. "$(dirname "$0")/common.sh"

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v psql >/dev/null || need+=(postgresql-client)
# OpenCvSharp's official Linux runtime links against GTK 3.
ldconfig -p | grep -q 'libgtk-3.so.0' || need+=(libgtk-3-0)
command -v curl >/dev/null || need+=(curl)
command -v openssl >/dev/null || need+=(openssl)
if [ "${REALNAME_WITH_BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null || need+=(chromium)
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
fi
command -v node >/dev/null || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

command -v dotnet >/dev/null || die ".NET SDK 10 is required (https://dot.net); it is not an apt package on Debian 12"

# Node tooling for buf lint and the independent gRPC client checks.
if [ ! -x "$REPO_ROOT/tools/node/node_modules/.bin/buf" ]; then
  log "installing node tooling (buf, grpc-js)"
  # npm ci trips over optional platform packages of @bufbuild/buf (npm 11); install honours the lock file.
  (cd "$REPO_ROOT/tools/node" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
