#!/usr/bin/env bash
# The APIS desk's and prechequeo's lists timed on a year of manifests
# (bench/apis-lists/gen.sql, built by build.sh): a fresh server on DB, a
# token for the desk (supervisor_control) and one for a bus company,
# each request REPS times; prints the median, fastest and slowest, in ms.
#
#   bench/apis-lists/time.sh BIN DB [REPS] [DAY]
# Run from the repository (the server reads data/).  DAY: build.sh's TODAY.
set -eu
bin=$(realpath "$1") db=$(realpath "$2") reps=${3:-7} day=${4:-$(TZ=UTC+6 date +%F)}
port=${BENCH_PORT:-18791}
echo 'Bench-Apis-2026-x' | "$bin" user add bench.apis --db "$db" --unit DCM --role supervisor_control --password-stdin > /dev/null 2>&1 || true
echo 'Bench-Apis-2026-x' | "$bin" user add bus.0 --db "$db" --unit DCM --role transportista --password-stdin > /dev/null 2>&1 || true
desk=$("$bin" token create --db "$db" --user bench.apis --label bench-apis)
bus=$("$bin" token create --db "$db" --user bus.0 --label bench-apis)
# an airline's account (thousands of PAXLST interchanges, no list) and a
# bus company's that sent nothing yet: the submissions of neither
echo 'Bench-Apis-2026-x' | "$bin" user add air.0 --db "$db" --unit DCM --role transportista --password-stdin > /dev/null 2>&1 || true
echo 'Bench-Apis-2026-x' | "$bin" user add bus.9 --db "$db" --unit DCM --role transportista --password-stdin > /dev/null 2>&1 || true
air=$("$bin" token create --db "$db" --user air.0 --label bench-apis)
new=$("$bin" token create --db "$db" --user bus.9 --label bench-apis)
"$bin" serve --listen 127.0.0.1:$port --db "$db" > /dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do sleep 0.5; done
# a list of the day (the cruise: the biggest) and one of a year ago
big=$(sqlite3 "$db" "SELECT id FROM apis_manifests WHERE flight_date = '$day' AND mode = 'sea' ORDER BY passengers + crew DESC LIMIT 1" 2>/dev/null || echo 1)
flight=$(sqlite3 "$db" "SELECT id FROM apis_manifests WHERE flight_date = '$day' AND mode = 'air' LIMIT 1" 2>/dev/null || echo 1)
reqs=(
  "desk /api/v1/apis/manifests?date=$day"
  "desk /api/v1/apis/manifests"
  "desk /api/v1/apis/manifests?mode=all"
  "desk /api/v1/prechequeo/lists?port=HAC&date=$day"
  "desk /api/v1/prechequeo/lists?port=ACA&date=$day"
  "desk /api/v1/prechequeo/lists?date=$day"
  "desk /api/v1/apis/manifests/$flight/reconciliation"
  "desk /api/v1/apis/manifests/$big/reconciliation"
  "bus /api/v1/prechequeo/submissions"
  "air /api/v1/prechequeo/submissions"
  "new /api/v1/prechequeo/submissions"
)
for l in "${reqs[@]}"; do
  who=${l%% *} url=${l#* }
  case $who in desk) tok=$desk ;; bus) tok=$bus ;; air) tok=$air ;; new) tok=$new ;; esac
  for _ in $(seq "$reps"); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $tok" "http://127.0.0.1:$port$url"
  done | sort -k2 -n | awk -v u="$url" -v w="$who" '{ if ($1 != 200) bad = $1; t[NR] = $2 * 1000 }
    END { printf "%-4s %-58s median %8.1f  min %8.1f  max %8.1f ms%s\n", w, u, t[int((NR + 1) / 2)], t[1], t[NR], bad ? "  (HTTP " bad ")" : "" }'
done
