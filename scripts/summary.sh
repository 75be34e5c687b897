#!/usr/bin/env bash
# Adds up the suites recorded in DIR (one "passed failed" pair per file) and
# prints the closing line CI reads.  A suite that recorded nothing failed.
set -u
dir=$1
shift
p=0; f=0
# The suites named (make check names its own: the API suite on both
# engines and sanitized, the browser suite's shards on the sanitized
# server, peer once peer tests exist); without names, the suites a check
# ran before it was run in lanes.
[ $# -gt 0 ] || set -- unit unit-asan api api-pg api-asan e2e e2e-asan
for s in "$@"; do
  if [ -f "$dir/$s" ]; then read -r a b < "$dir/$s"; p=$((p+a)); f=$((f+b))
  else echo "suite $s: did not run"; f=$((f+1)); fi
done
echo
echo "check: $p passed, $f failed"
[ $f -eq 0 ]
