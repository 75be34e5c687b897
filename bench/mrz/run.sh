#!/usr/bin/env bash
# MRZ parsing: ours (C, one thread) and the npm peer `mrz` over the same
# corpus in the same run, and the ratio of their rates per CPU second.
#   bench/mrz/run.sh BUILD   (BENCH_SECONDS, default 3)
set -eu
build=${1:-build}
secs=${BENCH_SECONDS:-3}
corpus=tests/data/mrz/peer-corpus.txt
ours=$("$build/bench/mrz" "$corpus" "$secs")
echo "$ours"
if [ -d node_modules/mrz ]; then
  peer=$(node bench/mrz/peer.mjs "$corpus" "$secs")
  echo "$peer"
  a=$(echo "$ours" | sed -n 's/.*), \([0-9]*\) parses\/s per CPU.*/\1/p')
  b=$(echo "$peer" | sed -n 's/.*), \([0-9]*\) parses\/s per CPU.*/\1/p')
  awk -v a="$a" -v b="$b" 'BEGIN { printf "ratio: ours / peer = %.1fx (per CPU second)\n", a / b }'
else
  echo "peer: node_modules/mrz missing (make node_modules); no ratio"
fi
