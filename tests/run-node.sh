#!/usr/bin/env bash
# Runs node's test runner over DIR/*.test.mjs and records the counts as SUITE.
set -u
suite=$1; dir=$2
mkdir -p build/results "${SIGM_TEST_OUTPUT:-build/test-output}"
files=$(ls "$dir"/*.test.mjs 2>/dev/null)
# SIGM_TEST_ONLY="a b": only DIR/a.test.mjs and DIR/b.test.mjs (each must be
# there: a name that matches nothing fails the suite, not shrinks it).
if [ -n "${SIGM_TEST_ONLY:-}" ]; then
  files=""
  for t in $SIGM_TEST_ONLY; do
    if [ ! -f "$dir/$t.test.mjs" ]; then
      echo "$suite: no test file $dir/$t.test.mjs (SIGM_TEST_ONLY)"; echo "0 1" > "build/results/$suite"; exit 1
    fi
    files="$files $dir/$t.test.mjs"
  done
fi
# SIGM_TEST_SHARD=I/N: the I-th of N shards (make check runs the browser
# suite's shards side by side).  The files go, largest first, each to the
# shard with the fewest bytes so far for its share: a file's size follows
# its running time well enough (border.test.mjs alone is a fifth of the
# suite).  SIGM_TEST_SHARD_WEIGHTS="W1 … WN" gives the shards unequal
# shares (make check's lanes carry unequal loads beside them); equal
# without it.
if [ -n "${SIGM_TEST_SHARD:-}" ]; then
  i=${SIGM_TEST_SHARD%/*}; n=${SIGM_TEST_SHARD#*/}
  # shellcheck disable=SC2086
  files=$(stat -c '%s %n' $files | sort -k1,1nr -k2,2 | awk -v i="$i" -v n="$n" -v w="${SIGM_TEST_SHARD_WEIGHTS:-}" '
    BEGIN { c = split(w, W, " "); for (k = 1; k <= n; k++) if (k > c || W[k] <= 0) W[k] = 1 }
    { m = 1; for (k = 2; k <= n; k++) if ((t[k] + $1) / W[k] < (t[m] + $1) / W[m]) m = k; t[m] += $1; if (m == i) print $2 }')
fi
if [ -z "$files" ]; then echo "$suite: no test files in $dir"; echo "0 1" > "build/results/$suite"; exit 1; fi
out=build/results/$suite.log
# shellcheck disable=SC2086
node --test --test-concurrency=1 --test-reporter=tap $files > "$out" 2>&1; rc=$?
grep -E '^(not ok|# Subtest)|^\s+(not ok)' "$out" | grep -B1 'not ok' | head -50
p=$(grep -E '^# pass ' "$out" | awk '{print $3}'); f=$(grep -E '^# fail ' "$out" | awk '{print $3}')
p=${p:-0}; f=${f:-1}
[ $rc -ne 0 ] && [ "$f" = 0 ] && f=1
if [ "$f" != 0 ]; then grep -A30 'not ok' "$out" | head -120; fi
echo "$p $f" > "build/results/$suite"
echo "$suite: $p passed, $f failed"
[ "$f" = 0 ]
