#!/usr/bin/env bash
# Server CPU per inspection, the figure that moves least with the shared
# machine's load: one `sigm serve` on the cached dataset of run.sh, wrk at
# CONNS connections for SECONDS, CPU time of the server process from /proc
# divided by the requests answered; the writer thread's share; the store's
# counters.
#
#   bench/inspections/cpu.sh BUILD_DIR [SECONDS] [CONNS]
#
# Needs the dataset (run bench/inspections/run.sh once).
set -eu
build=${1:-build}
dur=${2:-10}
c=${3:-32}
bin=$(realpath "$build/sigm")
here=$(cd "$(dirname "$0")" && pwd)
db=$build/bench-data/inspections.db
[ -f "$db" ] || { echo "no dataset: run bench/inspections/run.sh $build first"; exit 1; }
echo 'Bench-Oficial-2026' | "$bin" user add bench.oficial --db "$db" --unit DCM --role oficial_control --password-stdin > /dev/null 2>&1 || true
token=$("$bin" token create --db "$db" --user bench.oficial --label bench-cpu)
P=$(sqlite3 "$db" "SELECT max(id) FROM persons WHERE id <= 2000000")
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$pid" ] && wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
SIGM_DB=$db SIGM_LISTEN=127.0.0.1:0 SIGM_METRICS_LOOPBACK=1 SIGM_ADMIN_PASSWORD=Bench-Clave-2026 "$bin" serve 2> "$tmp/log" > /dev/null &
pid=$!
for _ in $(seq 3000); do grep -q '"msg":"listening"' "$tmp/log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '"msg":"listening"[^}]*"port":[0-9]*' "$tmp/log" | grep -o '[0-9]*$')
url=http://127.0.0.1:$port
TOKEN=$token TRAVELERS=$P wrk -t2 -c32 -d2s -s "$here/bench.lua" "$url" > /dev/null 2>&1
ticks() { awk '{print $14 + $15}' "$1"; }
t0=$(ticks /proc/$pid/stat)
for t in /proc/$pid/task/*; do [ -e "$t/stat" ] && echo "$(basename "$t") $(ticks "$t/stat")"; done | sort > "$tmp/t0"
out=$(TOKEN=$token TRAVELERS=$P wrk -t2 -c"$c" -d"${dur}s" --timeout 10s --latency -s "$here/bench.lua" "$url" 2>&1)
t1=$(ticks /proc/$pid/stat)
for t in /proc/$pid/task/*; do [ -e "$t/stat" ] && echo "$(basename "$t") $(ticks "$t/stat")"; done | sort > "$tmp/t1"
n=$(echo "$out" | awk '/requests in/{print $1}')
hz=$(getconf CLK_TCK)
echo "$out" | grep -E "Requests/sec|^ +(50|99)%|Non-2xx" || true
awk -v t=$((t1 - t0)) -v n="$n" -v hz="$hz" 'BEGIN{printf "server CPU per inspection: %.3f ms (%d requests)\n", t * 1000 / hz / n, n}'
# the busiest persistent thread is the writer
w=$(join "$tmp/t0" "$tmp/t1" | awk '{print $3 - $2}' | sort -rn | head -1)
awk -v t="$w" -v n="$n" -v hz="$hz" 'BEGIN{printf "busiest thread (the writer): %.3f ms per inspection\n", t * 1000 / hz / n}'
curl -s "$url/metrics" | grep -E "^sigm_store_(writes|commits|queries)_total|^sigm_store_commit_seconds_sum"
