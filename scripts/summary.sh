#!/usr/bin/env bash
# Adds up the suites recorded in DIR (one "passed failed" pair per file) and
# prints the closing line CI reads.  A suite that recorded nothing failed.
set -u
dir=$1
shift
p=0; f=0
# The suites every check runs (api-pg: the API suite on PostgreSQL; api-asan
# and e2e-asan: the API and browser suites on a sanitized server), plus any
# named on the command line (peer, once peer tests exist).
for s in unit unit-asan api api-pg api-asan e2e e2e-asan "$@"; do
  if [ -f "$dir/$s" ]; then read -r a b < "$dir/$s"; p=$((p+a)); f=$((f+b))
  else echo "suite $s: did not run"; f=$((f+1)); fi
done
echo
echo "check: $p passed, $f failed"
[ $f -eq 0 ]
