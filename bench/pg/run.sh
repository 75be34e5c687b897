#!/usr/bin/env bash
# PostgreSQL beside SQLite, same machine, same run (issue 8):
#  1. inspection load: POST /api/v1/inspections under wrk (a different
#     traveller each request; every one a durable transaction) against one
#     `sigm serve` on SQLite, then one on PostgreSQL — inspections/s, p50, p99;
#  2. the ledger at scale: BENCH_MOVEMENTS movements (default 2,000,000 here;
#     the measured run in bench/RESULTS.md states its number) loaded into each
#     engine, then the monthly report timed two ways — from the rollup the
#     API reads, and by scanning the month of the ledger (PostgreSQL prunes
#     to one partition).
#   bench/pg/run.sh BUILD_DIR
# Env: BENCH_SECONDS (wrk duration, default 5), BENCH_CONNS (default 32),
#      BENCH_MOVEMENTS, BENCH_SKIP_LOAD=1, BENCH_SKIP_INSPECT=1.
set -eu
build=${1:-build}
bin=$(realpath "$build/sigm")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dur=${BENCH_SECONDS:-5}
conns=${BENCH_CONNS:-32}
nmov=${BENCH_MOVEMENTS:-2000000}
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)"; exit 1; }
tmp=$(mktemp -d /tmp/sigm-bench-XXXXXX)
pgdir=$(mktemp -d /tmp/sigm-bench-pg-XXXXXX) # beside tmp: the server account must reach it
pid=
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  "$root/scripts/pg-test-server.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# A server with room to work: 2 GB of shared buffers, WAL big enough for a
# bulk load without back-to-back checkpoints.  fsync and synchronous_commit
# stay on (the durability SIGM promises).
base=$(PG_SERVER_OPTS="-c shared_buffers=2GB -c max_wal_size=4GB -c checkpoint_timeout=30min -c maintenance_work_mem=512MB -c work_mem=64MB" \
  "$root/scripts/pg-test-server.sh" start "$pgdir")
pgurl() { echo "$base" | sed "s|postgresql:///postgres|postgresql:///$1|"; }
psql -qX "$base" -c "CREATE DATABASE bench_insp" -c "CREATE DATABASE bench_ledger"
export SIGM_AUDIT_KEY_FILE=$tmp/audit.key SIGM_ADMIN_PASSWORD=Bench-Clave-2026

echo "pg bench ($(nproc) cores, PostgreSQL $("$("$root/scripts/pg-test-server.sh" bindir)/postgres" --version | awk '{print $3}'), SQLite $(sqlite3 --version | awk '{print $1}'))"

inspect() { # engine db
  local engine=$1 db=$2
  SIGM_DB=$db SIGM_LISTEN=127.0.0.1:0 "$bin" serve 2> "$tmp/log-$engine" > /dev/null &
  pid=$!
  for _ in $(seq 100); do grep -q '"msg":"listening"' "$tmp/log-$engine" 2>/dev/null && break; sleep 0.1; done
  local port; port=$(grep -o '"port":[0-9]*' "$tmp/log-$engine" | head -1 | cut -d: -f2)
  SIGM_DB=$db "$bin" user add bench_ofi --unit DCM --role oficial_control --password-stdin <<< "Bench-Clave-2026" >/dev/null
  local token; token=$(SIGM_DB=$db "$bin" token create --user bench_ofi)
  # warm-up, then the measured run
  BENCH_TOKEN=$token BENCH_PREFIX=W wrk -t2 -c"$conns" -d1s -s "$here/inspect.lua" "http://127.0.0.1:$port" >/dev/null 2>&1
  local out; out=$(BENCH_TOKEN=$token BENCH_PREFIX=M wrk -t2 -c"$conns" -d"${dur}s" --latency -s "$here/inspect.lua" "http://127.0.0.1:$port" 2>&1)
  local rps p50 p99 errs
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  errs=$(echo "$out" | awk '/Non-2xx/{print $4}')
  printf '  %-10s POST /api/v1/inspections c=%-4s %9s insp/s   p50 %-9s p99 %-9s non-2xx %s\n' "$engine" "$conns" "$rps" "$p50" "$p99" "${errs:-0}"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

if [ "${BENCH_SKIP_INSPECT:-0}" != 1 ]; then
  echo "1. inspection load (${dur}s, wrk -t2 -c$conns, one sigm serve, durable commits)"
  inspect sqlite "$tmp/insp.db"
  inspect postgresql "$(pgurl bench_insp)"
fi

ms() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", (b-a)/1e6}'; }
now() { date +%s%N; }
# Median of 5 runs of a query in one client session, as the engine times it
# (sqlite3 .timer, psql \timing): the query, not the client's start-up.
q_sqlite() { # db sql
  { echo ".timer on"; for _ in 1 2 3 4 5; do echo "$2;"; done; } | sqlite3 "$1" |
    awk '/^Run Time/{v = $4 * 1000; if (v < 1) print "<1"; else printf "%.0f\n", v}' | sort -n | sed -n 3p
}
q_pg() { # url sql
  { echo '\timing on'; for _ in 1 2 3 4 5; do echo "$2;"; done; } | psql -qXAt "$1" |
    awk '/^Time:/{printf "%.2f\n", $2}' | sort -n | sed -n 3p
}

if [ "${BENCH_SKIP_LOAD:-0}" != 1 ]; then
  echo "2. ledger at scale: $nmov movements over 60 months (2021-01..2025-12), 1,000,000 persons"
  month=2024-06
  # SQLite: schema by sigm, rows by one INSERT … SELECT, as a bulk import
  # from the legacy system would do it: the rollup trigger and the secondary
  # indexes set aside for the load, then the indexes built and the rollup
  # computed in one pass each.
  sdb=$tmp/ledger.db
  SIGM_DB=$sdb "$bin" migrate >/dev/null
  a=$(now)
  sqlite3 "$sdb" >/dev/null <<SQL
PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-1000000;
BEGIN;
DROP TRIGGER movements_rollup;
DROP INDEX movements_person; DROP INDEX movements_port_day;
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 1000000)
INSERT INTO persons (id, created_at, updated_at) SELECT i, 'x', 'x' FROM g;
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $nmov)
INSERT INTO movements (person_id, direction, port, at, day, officer, decision, created_at)
SELECT 1 + (i * 7919) % 1000000, CASE i % 2 WHEN 0 THEN 'entry' ELSE 'exit' END,
  CASE i % 5 WHEN 0 THEN 'SAL' WHEN 1 THEN 'ACA' WHEN 2 THEN 'SCR' WHEN 3 THEN 'LHR' ELSE 'ELA' END,
  d || 'T10:00:00.000Z', d, 'bench', CASE WHEN i % 50 = 0 THEN 'refuse' ELSE 'admit' END, d || 'T10:00:00.000Z'
FROM (SELECT i, date('2021-01-01', '+' || ((i - 1) * 1826 / $nmov) || ' days') AS d FROM g);
CREATE INDEX movements_person ON movements(person_id, at);
CREATE INDEX movements_port_day ON movements(port, day);
INSERT INTO movement_stats_monthly (month, port, direction, decision, n)
  SELECT substr(day, 1, 7), port, direction, decision, COUNT(*) FROM movements GROUP BY 1, 2, 3, 4;
CREATE TRIGGER movements_rollup AFTER INSERT ON movements
BEGIN
  INSERT INTO movement_stats_monthly (month, port, direction, decision, n)
  VALUES (substr(NEW.day, 1, 7), NEW.port, NEW.direction, NEW.decision, 1)
  ON CONFLICT (month, port, direction, decision) DO UPDATE SET n = n + 1;
END;
COMMIT;
SQL
  sload=$(ms "$a" "$(now)")
  ssize=$(du -sm "$sdb" | cut -f1)
  printf '  %-10s load %8.0f s   on disk %6s MB\n' sqlite "$(awk -v m="$sload" 'BEGIN{print m/1000}')" "$ssize"
  # PostgreSQL: the same rows through the partitioned parent (60 monthly
  # partitions); triggers (foreign keys, rollup, append-only) skipped for
  # the load with session_replication_role, indexes and rollup as above.
  pdb=$(pgurl bench_ledger)
  SIGM_DB=$pdb "$bin" migrate >/dev/null
  psql -qX "$pdb" -c "SELECT sigm_movement_partitions('2021-01', 60)" >/dev/null
  a=$(now)
  psql -qX -v ON_ERROR_STOP=1 "$pdb" >/dev/null <<SQL
SET session_replication_role = replica;
BEGIN;
DROP INDEX movements_person; DROP INDEX movements_port_day; DROP INDEX movements_id;
INSERT INTO persons (id, created_at, updated_at) SELECT i, 'x', 'x' FROM generate_series(1, 1000000) i;
SELECT setval(pg_get_serial_sequence('persons', 'id'), 1000001, false);
INSERT INTO movements (person_id, direction, port, at, day, officer, decision, created_at)
SELECT 1 + (i * 7919) % 1000000, CASE i % 2 WHEN 0 THEN 'entry' ELSE 'exit' END,
  CASE i % 5 WHEN 0 THEN 'SAL' WHEN 1 THEN 'ACA' WHEN 2 THEN 'SCR' WHEN 3 THEN 'LHR' ELSE 'ELA' END,
  d || 'T10:00:00.000Z', d, 'bench', CASE WHEN i % 50 = 0 THEN 'refuse' ELSE 'admit' END, d || 'T10:00:00.000Z'
FROM (SELECT i, to_char(date '2021-01-01' + ((i - 1)::bigint * 1826 / $nmov)::int, 'YYYY-MM-DD') AS d
      FROM generate_series(1::bigint, $nmov) i) s;
CREATE INDEX movements_person ON movements(person_id, at);
CREATE INDEX movements_port_day ON movements(port, day);
CREATE INDEX movements_id ON movements(id);
INSERT INTO movement_stats_monthly (month, port, direction, decision, n)
  SELECT substr(day, 1, 7), port, direction, decision, COUNT(*) FROM movements GROUP BY 1, 2, 3, 4;
COMMIT;
ANALYZE;
SQL
  pload=$(ms "$a" "$(now)")
  psize=$(psql -qXAt "$pdb" -c "SELECT pg_database_size(current_database()) / 1048576")
  printf '  %-10s load %8.0f s   on disk %6s MB\n' postgresql "$(awk -v m="$pload" 'BEGIN{print m/1000}')" "$psize"
  roll="SELECT port, direction, decision, n FROM movement_stats_monthly WHERE month = '$month' ORDER BY port, direction, decision"
  scan="SELECT port, direction, decision, COUNT(*) FROM movements WHERE day >= '$month-01' AND day < '$month-32' GROUP BY port, direction, decision ORDER BY 1, 2, 3"
  echo "  monthly report for $month (median of 5 in one session, ms, timed by the engine's client):"
  printf '  %-10s rollup %8s ms   ledger scan %9s ms\n' sqlite "$(q_sqlite "$sdb" "$roll")" "$(q_sqlite "$sdb" "$scan")"
  printf '  %-10s rollup %8s ms   ledger scan %9s ms\n' postgresql "$(q_pg "$pdb" "$roll")" "$(q_pg "$pdb" "$scan")"
  # the same report through the API (what an analyst waits for)
  for engine in sqlite postgresql; do
    db=$sdb; [ $engine = postgresql ] && db=$pdb
    SIGM_DB=$db SIGM_LISTEN=127.0.0.1:0 "$bin" serve 2> "$tmp/logr-$engine" > /dev/null &
    pid=$!
    for _ in $(seq 100); do grep -q '"msg":"listening"' "$tmp/logr-$engine" 2>/dev/null && break; sleep 0.1; done
    port=$(grep -o '"port":[0-9]*' "$tmp/logr-$engine" | head -1 | cut -d: -f2)
    SIGM_DB=$db "$bin" user add bench_sup --unit DCM --role supervisor_control --password-stdin <<< "Bench-Clave-2026" >/dev/null
    token=$(SIGM_DB=$db "$bin" token create --user bench_sup)
    out=$(wrk -t1 -c4 -d2s --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/statistics/movements?month=$month" 2>&1)
    printf '  %-10s GET /api/v1/statistics/movements?month=%s  %8s req/s  p50 %-8s p99 %s\n' "$engine" "$month" \
      "$(echo "$out" | awk '/Requests\/sec/{print $2}')" "$(echo "$out" | awk '$1=="50%"{print $2}')" "$(echo "$out" | awk '$1=="99%"{print $2}')"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  done
fi
