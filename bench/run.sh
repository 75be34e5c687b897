#!/usr/bin/env bash
# Runs every benchmark: bench/<name>/run.sh if present, else the binary
# BUILD/bench/<name>.  Each prints its own figures; bench/RESULTS.md records them.
set -eu
build=$1
for d in bench/*/; do
  n=$(basename "$d")
  echo "== bench $n"
  if [ -x "$d/run.sh" ]; then "$d/run.sh" "$build"
  elif [ -x "$build/bench/$n" ]; then "$build/bench/$n"; fi
done
