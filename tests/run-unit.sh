#!/usr/bin/env bash
# Runs every unit-test binary in DIR, adds up their "N passed, N failed"
# lines and records the suite total in build/results/SUITE.
set -u
dir=$1; suite=$2
export SIGM_SRCDIR=${SIGM_SRCDIR:-$(pwd)}
p=0; f=0; crashed=0
for t in "$dir"/test_*; do
  [ -x "$t" ] || continue
  out=$("$t" 2>&1); rc=$?
  line=$(printf '%s\n' "$out" | grep -E ': [0-9]+ passed, [0-9]+ failed$' | tail -1)
  if [ -z "$line" ]; then
    printf '%s\n' "$out"
    echo "$(basename "$t"): crashed (exit $rc)"; crashed=$((crashed+1)); continue
  fi
  [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -v -E ': [0-9]+ passed, [0-9]+ failed$'
  echo "$line"
  np=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
  nf=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
  p=$((p+np)); f=$((f+nf))
done
f=$((f+crashed))
mkdir -p build/results
echo "$p $f" > "build/results/$suite"
echo "$suite: $p passed, $f failed"
[ $f -eq 0 ]
