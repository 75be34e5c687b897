#!/usr/bin/env bash
# Runs each libFuzzer binary in DIR for SECONDS with its seed corpus
# (tests/fuzz/corpus/NAME, copied so runs do not pollute the repo).
set -eu
dir=$1; secs=$2
for b in "$dir"/fuzz_*; do
  [ -x "$b" ] || continue
  n=$(basename "$b"); work="$dir/corpus-$n"; mkdir -p "$work"
  [ -d "tests/fuzz/corpus/$n" ] && cp -n tests/fuzz/corpus/"$n"/* "$work"/ 2>/dev/null || true
  echo "== $n for ${secs}s"
  "$b" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$dir/$n-" "$work"
done
