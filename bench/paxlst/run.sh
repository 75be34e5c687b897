#!/usr/bin/env bash
# PAXLST: parse speed, then parse + screening against a 1,000,000-entry
# index (the C binary), then end-to-end ingest through the API (needs
# node): on a fresh database, and against a database of 1,000,000 alerts
# (issue 7 part 9: the 500-passenger manifest, <= 50 ms end to end).
#   bench/paxlst/run.sh BUILD_DIR
set -eu
build=${1:-build}
"$build/bench/paxlst" 500 3
if command -v node >/dev/null; then
  node bench/paxlst/ingest.mjs "$build" 30
  node bench/paxlst/ingest.mjs "$build" 20 1000000
fi
