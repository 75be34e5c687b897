#!/usr/bin/env bash
# Installs the Debian packages SIGM builds, tests and runs with.
# Idempotent: asks apt only for what dpkg does not already report installed.
# Usage: scripts/setup-deps.sh [build|check|all]   (default: all)
set -eu
level=${1:-all}

build_pkgs="build-essential pkg-config libmicrohttpd-dev libjansson-dev
 libsqlite3-dev libpq-dev libsodium-dev libutf8proc-dev libcairo2-dev
 libqrencode-dev iso-codes sqlite3 fonts-dejavu-core"
# postgresql: the server binaries (/usr/lib/postgresql/<major>/bin, found by
# scripts/pg-test-server.sh whatever the major version), the "postgres"
# account it runs under when the tests run as root, and psql.
# chromium-l10n: Chromium's own Spanish (the browser suite's date and time
# fields as an officer's browser writes them, dd/mm/aaaa; tests/lib/browser.mjs).
check_pkgs="clang libclang-rt-14-dev chromium chromium-l10n postgresql
 postgresql-contrib poppler-utils zbar-tools wrk curl"
# node and npm may come from another packaging (NodeSource's nodejs bundles
# npm and conflicts with Debian's npm): ask for them only when absent.
command -v node >/dev/null || check_pkgs="$check_pkgs nodejs"
command -v npm >/dev/null || check_pkgs="$check_pkgs npm"

pkgs=$build_pkgs
[ "$level" = build ] || pkgs="$pkgs $check_pkgs"

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup-deps: installing:$missing" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup-deps: need root or sudo to install:$missing" >&2; exit 1; }
  SUDO="sudo -n"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
