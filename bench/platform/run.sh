#!/usr/bin/env bash
# Platform benchmark: requests/s and latency of /healthz (a store read) and
# of an authenticated API read (/api/v1/org/units with a bearer token: token
# lookup + permission check + pre-encoded JSON), side by side in one run,
# driven by wrk from another process on loopback.
#   bench/platform/run.sh BUILD_DIR
set -eu
build=${1:-build}
bin=$(realpath "$build/sigm")
dur=${BENCH_SECONDS:-5}
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)"; exit 1; }

export SIGM_DB=$tmp/b.db SIGM_ADMIN_PASSWORD=Bench-Clave-2026
SIGM_LISTEN=127.0.0.1:0 "$bin" serve 2> "$tmp/log" > /dev/null &
pid=$!
for _ in $(seq 50); do grep -q '"msg":"listening"' "$tmp/log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '"port":[0-9]*' "$tmp/log" | head -1 | cut -d: -f2)
token=$("$bin" token create --user admin)
url=http://127.0.0.1:$port

run() { # name, connections, extra wrk args...
  local name=$1 c=$2; shift 2
  local out; out=$(wrk -t2 -c"$c" -d"${dur}s" --latency "$@" 2>&1)
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  printf '%-34s c=%-4s %10s req/s   p50 %-9s p99 %s\n' "$name" "$c" "$rps" "$p50" "$p99"
}
echo "platform bench ($(nproc) cores, ${dur}s each, wrk -t2; server logs one JSON line per request)"
run "GET /healthz" 32 "$url/healthz"
run "GET /api/v1/org/units (Bearer)" 32 -H "Authorization: Bearer $token" "$url/api/v1/org/units"
run "GET /healthz" 128 "$url/healthz"
run "GET /api/v1/org/units (Bearer)" 128 -H "Authorization: Bearer $token" "$url/api/v1/org/units"
