#!/usr/bin/env bash
# Two (or more) sigm binaries side by side on the cached dataset of run.sh:
# for ROUNDS rounds, each binary in turn runs cpu.sh (a fresh server, wrk at
# CONNS connections for SECS seconds), so that the machine's load weighs on
# all of them alike.  Prints inspections/s, the server's CPU per inspection
# and the writer thread's, one line per run.
#
#   bench/inspections/ab.sh ROUNDS SECS CONNS BIN...
#
# The binaries must open the dataset's schema (a binary older than the
# database's last migration refuses it).
set -eu
rounds=$1 secs=$2 conns=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
data=$(realpath "${BENCH_DATA:-build/bench-data}")
[ -f "$data/inspections.db" ] || { echo "no dataset in $data: run bench/inspections/run.sh first"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
for b in "$@"; do
  i=$((i + 1))
  mkdir -p "$tmp/$i"
  cp "$b" "$tmp/$i/sigm"
  ln -s "$data" "$tmp/$i/bench-data"
done
for _ in $(seq "$rounds"); do
  i=0
  for b in "$@"; do
    i=$((i + 1))
    out=$("$here/cpu.sh" "$tmp/$i" "$secs" "$conns" 2>&1)
    printf '%-40s %s\n' "$b" "$(echo "$out" | awk '/Requests\/sec/{printf "%s/s  ", $2} /CPU per/{printf "server CPU %s ms  ", $5} /busiest/{printf "writer %s ms", $5}')"
  done
done
