#!/usr/bin/env bash
# Installs the npm packages the tests use (playwright-core, the peers) when
# package.json or package-lock.json changed since the last install.
set -eu
stamp=node_modules/.sigm-stamp
if [ -f "$stamp" ] && [ "$stamp" -nt package.json ] && { [ ! -f package-lock.json ] || [ "$stamp" -nt package-lock.json ]; }; then
  exit 0
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
else npm install --no-audit --no-fund --loglevel=error; fi
touch "$stamp"
