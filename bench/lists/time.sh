#!/usr/bin/env bash
# The lists a supervisor, Extranjería and the Dirección read, timed on the
# cached dataset of bench/inspections/run.sh (1.2 M inspections, 2.2 M
# persons, 10 M movements): a fresh server, a token per role, each list
# read REPS times; prints the fastest and the slowest of each, in ms.
#
#   bench/lists/time.sh [BIN] [REPS]
#
# The first read of each list is cold only if the page cache was dropped
# before (echo 3 > /proc/sys/vm/drop_caches, as root).
set -eu
bin=$(realpath "${1:-build/sigm}") reps=${2:-5}
data=$(realpath "${BENCH_DATA:-build/bench-data}")
db=$data/inspections.db
[ -f "$db" ] || { echo "no dataset in $data: run bench/inspections/run.sh first"; exit 1; }
port=18790
declare -A tok
for r in supervisor_control extranjeria direccion; do
  echo 'Bench-Lista-2026-x' | "$bin" user add "bench.list.$r" --db "$db" --unit DCM --role "$r" --password-stdin > /dev/null 2>&1 || true
  tok[$r]=$("$bin" token create --db "$db" --user "bench.list.$r" --label bench-lists)
done
"$bin" serve --listen 127.0.0.1:$port --db "$db" > /dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.5; done
day=$(date -u +%F)
lists=(
  "supervisor_control /api/v1/inspections?status=pending"
  "supervisor_control /api/v1/inspections?status=resolved"
  "supervisor_control /api/v1/inspections?status=pending&port=SAL"
  "supervisor_control /api/v1/movements?day=$day"
  "supervisor_control /api/v1/persons?surnames=garcia"
  "supervisor_control /api/v1/persons?surnames=nuevo"
  "supervisor_control /api/v1/persons?surnames=nuevo&birth_date=1980-01-01"
  "supervisor_control /api/v1/carrier-fines?carrier=avianca"
  "supervisor_control /api/v1/traveler-fines?status=pending"
  "extranjeria /api/v1/overstayers"
  "direccion /api/v1/referrals"
)
for l in "${lists[@]}"; do
  role=${l%% *} url=${l#* }
  ts=()
  for _ in $(seq "$reps"); do
    ts+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer ${tok[$role]}" "http://127.0.0.1:$port$url")")
  done
  printf '%s\n' "${ts[@]}" | awk -v u="$url" '{ if ($1 != 200) bad = $1; t = $2 * 1000; if (NR == 1 || t < lo) lo = t; if (t > hi) hi = t }
    END { printf "%-60s %8.1f %8.1f ms%s\n", u, lo, hi, bad ? "  (HTTP " bad ")" : "" }'
done
