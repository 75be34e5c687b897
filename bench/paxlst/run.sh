#!/usr/bin/env bash
# PAXLST: parse speed on one core (the C binary), then end-to-end ingest
# through the API on a fresh database (needs node).
#   bench/paxlst/run.sh BUILD_DIR
set -eu
build=${1:-build}
"$build/bench/paxlst" 500 3
if command -v node >/dev/null; then node bench/paxlst/ingest.mjs "$build" 30; fi
