#!/usr/bin/env bash
# PostgreSQL beside SQLite, same machine, same run (issue 8):
#  1. inspection load: POST /api/v1/inspections under wrk (a different
#     traveller each request; every one a durable transaction) against one
#     `sigm serve` on SQLite, then one on PostgreSQL — inspections/s, p50, p99;
#  2. the ledger at scale: BENCH_MOVEMENTS movements (default 2,000,000 here,
#     small enough for `make bench`; the measured run in bench/RESULTS.md
#     states its number) of BENCH_PERSONS persons (default a tenth of that,
#     at least 1,000,000) loaded into each engine; the bytes a movement costs;
#     the rollup checked against a GROUP BY over the ledger; then, raw SQL and
#     over HTTP against `sigm serve`: the monthly report from the rollup the
#     API reads and by scanning the month of the ledger (PostgreSQL prunes to
#     one partition), a person's timeline, the movements of a post and day;
#     PostgreSQL's plans.  Everything lives in temporary directories removed
#     at exit.
#   bench/pg/run.sh BUILD_DIR
# Env: BENCH_SECONDS (wrk duration, default 5), BENCH_CONNS (default 32),
#      BENCH_MOVEMENTS, BENCH_PERSONS, BENCH_SKIP_LOAD=1, BENCH_SKIP_INSPECT=1,
#      BENCH_LOAD_PARALLEL=1 (load both engines at the same time: half the
#      wall time on two cores, each load slowed by the other),
#      BENCH_SCAN_RUNS (runs of the full ledger scans, default 5),
#      BENCH_KEEP=1 (leave the databases and the server for a look; the
#      script prints how to remove them).
# The scale run of bench/RESULTS.md:
#   BENCH_SKIP_INSPECT=1 BENCH_LOAD_PARALLEL=1 BENCH_SCAN_RUNS=3 \
#     BENCH_MOVEMENTS=N nice -n 19 ionice -c3 bench/pg/run.sh build
set -eu
build=${1:-build}
bin=$(realpath "$build/sigm")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dur=${BENCH_SECONDS:-5}
conns=${BENCH_CONNS:-32}
nmov=${BENCH_MOVEMENTS:-2000000}
npers=${BENCH_PERSONS:-$(( nmov / 10 > 1000000 ? nmov / 10 : 1000000 ))}
command -v wrk >/dev/null || { echo "wrk missing (apt-get install wrk)"; exit 1; }
tmp=$(mktemp -d /tmp/sigm-bench-XXXXXX)
pgdir=$(mktemp -d /tmp/sigm-bench-pg-XXXXXX) # beside tmp: the server account must reach it
pid=
cleanup() {
  [ -n "$pid" ] && { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "kept: $tmp, PostgreSQL running in $pgdir (scripts/pg-test-server.sh stop $pgdir; rm -rf $tmp)"
    return
  fi
  "$root/scripts/pg-test-server.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# A server with room to work: 2 GB of shared buffers, WAL big enough for a
# bulk load without back-to-back checkpoints; wal_level=minimal (no standby
# here), so the ledger's bulk load into partitions created in its own
# transaction is not copied into the WAL.  fsync and synchronous_commit stay
# on (the durability SIGM promises: a commit's WAL is flushed as before).
base=$(PG_SERVER_OPTS="-c shared_buffers=2GB -c max_wal_size=4GB -c checkpoint_timeout=30min -c maintenance_work_mem=512MB -c work_mem=64MB -c wal_level=minimal -c max_wal_senders=0" \
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
# Median of R runs (default 5) of a query in one client session, as the
# engine times it (sqlite3 .timer, psql \timing): the query, not the client's
# start-up.  PREP, if given, runs first in the same session (parameters,
# PREPARE); the first two runs then only warm up.
q_sqlite() { # db sql [runs] [prep]
  local r=${3:-5}
  { echo "${4:-}"; echo ".timer on"; for _ in $(seq "$r"); do echo "$2;"; done; } | sqlite3 "$1" |
    awk '/^Run Time/{v = $4 * 1000; if (v < 1) print "<1"; else printf "%.0f\n", v}' | sort -n | sed -n "$(( (r + 1) / 2 ))p"
}
q_pg() { # url sql [runs] [prep]
  local r=${3:-5}
  { echo "${4:-}"; echo '\timing on'; for _ in $(seq "$r"); do echo "$2;"; done; } | psql -qXAt "$1" |
    awk '/^Time:/{printf "%.2f\n", $2}' | sort -n | sed -n "$(( (r + 1) / 2 ))p"
}
# the statement timings of a load log summed by phase ("phase NAME" lines,
# each followed by the engine's timing lines of its statements)
phases() { # log
  awk 'function out() { if (p != "") printf " %s %.0f s", p, t }
       /^phase /{out(); p = $2; t = 0; next}
       p != "" && /^Run Time/{t += $4}
       p != "" && /^Time:/{t += $2 / 1000}
       END{out()}' "$1"
}

if [ "${BENCH_SKIP_LOAD:-0}" != 1 ]; then
  echo "2. ledger at scale: $nmov movements over 60 months (2021-01..2025-12), $npers persons"
  month=2024-06 day=2024-06-15 person=4242
  sdb=$tmp/ledger.db
  pdb=$(pgurl bench_ledger)
  SIGM_DB=$sdb "$bin" migrate >/dev/null
  SIGM_DB=$pdb "$bin" migrate >/dev/null
  # SQLite: schema by sigm, rows by one INSERT … SELECT in one transaction,
  # as a bulk import from the legacy system would do it: the rollup trigger
  # and the secondary indexes set aside for the load (and put back exactly
  # as sigm created them), then the indexes built and the rollup computed
  # in one pass each.  A rollback journal during the load (a WAL would grow
  # to the size of the whole import), WAL again after it.
  load_sqlite() {
    local a; a=$(now)
    local trig idx
    trig=$(sqlite3 "$sdb" "SELECT sql || ';' FROM sqlite_master WHERE name = 'movements_rollup'")
    idx=$(sqlite3 "$sdb" "SELECT sql || ';' FROM sqlite_master WHERE name IN ('movements_person', 'movements_port_day', 'movements_day')")
    nice -n 19 ionice -c3 sqlite3 "$sdb" > "$tmp/load-sqlite.log" <<SQL
PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA cache_size=-1000000;
.timer on
BEGIN;
DROP TRIGGER movements_rollup;
DROP INDEX movements_person; DROP INDEX movements_port_day; DROP INDEX movements_day;
.print phase persons
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $npers)
INSERT INTO persons (id, created_at, updated_at) SELECT i, 'x', 'x' FROM g;
.print phase movements
WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < $nmov)
INSERT INTO movements (person_id, direction, port, at, day, officer, decision, created_at)
SELECT 1 + (i * 7919) % $npers, CASE i % 2 WHEN 0 THEN 'entry' ELSE 'exit' END,
  CASE i % 5 WHEN 0 THEN 'SAL' WHEN 1 THEN 'ACA' WHEN 2 THEN 'SCR' WHEN 3 THEN 'LHR' ELSE 'ELA' END,
  d || 'T10:00:00.000Z', d, 'bench', CASE WHEN i % 50 = 0 THEN 'refuse' ELSE 'admit' END, d || 'T10:00:00.000Z'
FROM (SELECT i, date('2021-01-01', '+' || ((i - 1) * 1826 / $nmov) || ' days') AS d FROM g);
.print phase indexes
$idx
.print phase rollup
INSERT INTO movement_stats_monthly (month, port, direction, decision, n)
  SELECT substr(day, 1, 7), port, direction, decision, COUNT(*) FROM movements GROUP BY 1, 2, 3, 4;
$trig
.print phase commit
COMMIT;
PRAGMA journal_mode=WAL;
SQL
    echo "$(ms "$a" "$(now)")" > "$tmp/load-sqlite.ms"
  }
  # PostgreSQL: the same rows through the partitioned parent into 60 monthly
  # partitions created in the load's own transaction (with wal_level=minimal
  # their pages are not written to the WAL, only synced at commit — what
  # PostgreSQL does for any bulk load into new tables); triggers (foreign
  # keys, rollup, append-only) skipped with session_replication_role,
  # indexes and rollup as above; then VACUUM ANALYZE, as autovacuum would.
  load_pg() {
    local a; a=$(now)
    nice -n 19 ionice -c3 psql -qX -v ON_ERROR_STOP=1 "$pdb" > "$tmp/load-pg.log" <<SQL
\\timing on
SET session_replication_role = replica;
SET maintenance_work_mem = '1GB';
BEGIN;
DROP INDEX movements_person; DROP INDEX movements_port_day; DROP INDEX movements_id; DROP INDEX movements_day;
\\echo phase partitions
SELECT sigm_movement_partitions('2021-01', 60);
\\echo phase persons
INSERT INTO persons (id, created_at, updated_at) SELECT i, 'x', 'x' FROM generate_series(1, $npers) i;
SELECT setval(pg_get_serial_sequence('persons', 'id'), $npers + 1, false);
\\echo phase movements
INSERT INTO movements (person_id, direction, port, at, day, officer, decision, created_at)
SELECT 1 + (i * 7919) % $npers, CASE i % 2 WHEN 0 THEN 'entry' ELSE 'exit' END,
  CASE i % 5 WHEN 0 THEN 'SAL' WHEN 1 THEN 'ACA' WHEN 2 THEN 'SCR' WHEN 3 THEN 'LHR' ELSE 'ELA' END,
  d || 'T10:00:00.000Z', d, 'bench', CASE WHEN i % 50 = 0 THEN 'refuse' ELSE 'admit' END, d || 'T10:00:00.000Z'
FROM (SELECT i, to_char(date '2021-01-01' + ((i - 1)::bigint * 1826 / $nmov)::int, 'YYYY-MM-DD') AS d
      FROM generate_series(1::bigint, $nmov) i) s;
\\echo phase index_person
CREATE INDEX movements_person ON movements(person_id, at);
\\echo phase index_port_day
CREATE INDEX movements_port_day ON movements(port, day);
\\echo phase index_id
CREATE INDEX movements_id ON movements(id);
\\echo phase index_day
CREATE INDEX movements_day ON movements(day, id);
\\echo phase rollup
INSERT INTO movement_stats_monthly (month, port, direction, decision, n)
  SELECT substr(day, 1, 7), port, direction, decision, COUNT(*) FROM movements GROUP BY 1, 2, 3, 4;
\\echo phase commit
COMMIT;
\\echo phase vacuum_analyze
VACUUM (ANALYZE);
SQL
    echo "$(ms "$a" "$(now)")" > "$tmp/load-pg.ms"
  }
  if [ "${BENCH_LOAD_PARALLEL:-0}" = 1 ]; then
    echo "  (both engines loading at the same time)"
    load_sqlite & lp1=$!
    load_pg & lp2=$!
    wait $lp1; wait $lp2
  else
    load_sqlite
    load_pg
  fi
  s() { awk -v m="$1" 'BEGIN{printf "%.0f", m/1000}'; }
  printf '  %-10s load %6s s:%s\n' sqlite "$(s "$(cat "$tmp/load-sqlite.ms")")" "$(phases "$tmp/load-sqlite.log")"
  printf '  %-10s load %6s s:%s\n' postgresql "$(s "$(cat "$tmp/load-pg.ms")")" "$(phases "$tmp/load-pg.log")"

  # Bytes a movement costs: the ledger's table(s) and indexes and the rollup
  # (persons apart), divided by the number of movements.
  sbytes=$(sqlite3 "$sdb" "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('movements', 'movements_person', 'movements_port_day', 'movements_corrects', 'movements_day', 'movement_stats_monthly', 'sqlite_autoindex_movement_stats_monthly_1')")
  pbytes=$(psql -qXAt "$pdb" -c "SELECT (SELECT SUM(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'movements'::regclass) + pg_total_relation_size('movement_stats_monthly')")
  printf '  %-10s file %6s MB   ledger+indexes+rollup %6s MB = %s bytes/movement   persons %s MB\n' sqlite \
    "$(( $(stat -c %s "$sdb") / 1048576 ))" "$(( sbytes / 1048576 ))" "$(( sbytes / nmov ))" \
    "$(( $(sqlite3 "$sdb" "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'persons')") / 1048576 ))"
  printf '  %-10s db   %6s MB   ledger+indexes+rollup %6s MB = %s bytes/movement   persons %s MB\n' postgresql \
    "$(psql -qXAt "$pdb" -c "SELECT pg_database_size(current_database()) / 1048576")" "$(( pbytes / 1048576 ))" "$(( pbytes / nmov ))" \
    "$(psql -qXAt "$pdb" -c "SELECT pg_total_relation_size('persons') / 1048576")"

  # The rollup is what the trigger would have kept: it must equal the
  # GROUP BY over the ledger, row for row.
  check="SELECT (SELECT COUNT(*) FROM movement_stats_monthly), (SELECT COUNT(*) FROM g),
    (SELECT COUNT(*) FROM (SELECT month, port, direction, decision, n FROM movement_stats_monthly EXCEPT SELECT * FROM g) x),
    (SELECT COUNT(*) FROM (SELECT * FROM g EXCEPT SELECT month, port, direction, decision, n FROM movement_stats_monthly) y),
    (SELECT SUM(n) FROM movement_stats_monthly)"
  gby="SELECT substr(day, 1, 7) AS month, port, direction, decision, COUNT(*) AS n FROM movements GROUP BY 1, 2, 3, 4"
  echo "  rollup = GROUP BY over the ledger? (rollup rows, group-by rows, rows only in the rollup, only in the group-by, sum of n)"
  printf '  %-10s %s\n' sqlite "$(sqlite3 "$sdb" "CREATE TEMP TABLE g AS $gby; $check")"
  printf '  %-10s %s\n' postgresql "$(psql -qXAt "$pdb" -c "CREATE TEMP TABLE g AS $gby" -c "$check")"

  roll="SELECT port, direction, decision, n FROM movement_stats_monthly WHERE month = '$month' ORDER BY port, direction, decision"
  scan="SELECT port, direction, decision, COUNT(*) FROM movements WHERE day >= '$month-01' AND day < '$month-32' GROUP BY port, direction, decision ORDER BY 1, 2, 3"
  timeline="SELECT id, at, direction, port, document_id, transport, decision, officer, permitted_stay_days, corrects_movement_id, correction_reason, approved_by, inspection_id FROM movements WHERE person_id = $person ORDER BY at, id"
  # the API's query (border_api.c), with its parameters, as sigm prepares it
  byday_sql="SELECT m.id, m.at, m.port, m.direction, m.decision, m.transport, m.officer, m.person_id, m.document_id, m.permitted_stay_days, m.corrects_movement_id, m.correction_reason, m.approved_by, p.given_names, p.surnames, p.nationality FROM movements m JOIN persons p ON p.id = m.person_id WHERE (CAST(\$1 AS TEXT) IS NULL OR m.port = \$1) AND m.day = \$2 AND (CAST(\$3 AS TEXT) IS NULL OR m.direction = \$3) AND m.id < \$4 ORDER BY m.id DESC LIMIT \$5"
  sprep=".parameter init
.parameter set \$1 \"'SAL'\"
.parameter set \$2 \"'$day'\"
.parameter set \$4 9223372036854775807
.parameter set \$5 101"
  pprep="PREPARE byday(text, text, text, bigint, bigint) AS $byday_sql;"
  pexec="EXECUTE byday('SAL', '$day', NULL, 9223372036854775807, 101)"
  sruns=${BENCH_SCAN_RUNS:-5}
  echo "  queries (median of 5 in one session, ms, timed by the engine's client; ledger scans median of $sruns):"
  printf '  %-10s monthly report %s: rollup %8s   from the ledger %9s\n' sqlite "$month" "$(q_sqlite "$sdb" "$roll")" "$(q_sqlite "$sdb" "$scan" "$sruns")"
  printf '  %-10s monthly report %s: rollup %8s   from the ledger %9s\n' postgresql "$month" "$(q_pg "$pdb" "$roll")" "$(q_pg "$pdb" "$scan" "$sruns")"
  printf '  %-10s person %s timeline %8s   movements of SAL on %s (API query) %8s\n' sqlite "$person" "$(q_sqlite "$sdb" "$timeline")" "$day" "$(q_sqlite "$sdb" "$byday_sql" 7 "$sprep")"
  printf '  %-10s person %s timeline %8s   movements of SAL on %s (API query) %8s\n' postgresql "$person" "$(q_pg "$pdb" "$timeline")" "$day" "$(q_pg "$pdb" "$pexec" 7 "$pprep")"
  echo "  PostgreSQL plans (partition pruning):"
  psql -qXAt "$pdb" > "$tmp/explain.txt" <<SQL
\\echo --- monthly report from the ledger
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $scan;
\\echo --- movements of a post and day: the API query, prepared, generic plan (pruning at execution)
SET plan_cache_mode = force_generic_plan;
$pprep
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $pexec;
\\echo --- the timeline of a person (not prunable: one index scan per partition)
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $timeline;
SQL
  # the timeline's plan is one index scan per partition: counted, not listed
  awk '/^--- the timeline/{t = 1; print "    " $0; next}
       t && /Scan.* on movements_/{n++} t && /^(Planning|Execution)/{print "    " $0}
       !t{print "    " $0} END{print "    partitions scanned: " n}' "$tmp/explain.txt"
  # the same through the API (what an analyst waits for): one request at a
  # time with curl (median of 5), then under wrk -t1 -c4 (2 s).
  http() { # engine path...
    local engine=$1 db=$sdb; shift
    [ "$engine" = postgresql ] && db=$pdb
    SIGM_DB=$db SIGM_LISTEN=127.0.0.1:0 "$bin" serve 2> "$tmp/logr-$engine" > /dev/null &
    pid=$!
    for _ in $(seq 300); do grep -q '"msg":"listening"' "$tmp/logr-$engine" 2>/dev/null && break; sleep 0.1; done
    port=$(grep -o '"port":[0-9]*' "$tmp/logr-$engine" | head -1 | cut -d: -f2)
    SIGM_DB=$db "$bin" user add bench_sup --unit DCM --role supervisor_control --password-stdin <<< "Bench-Clave-2026" >/dev/null 2>&1 || true
    token=$(SIGM_DB=$db "$bin" token create --user bench_sup)
    for path in "$@"; do
      url="http://127.0.0.1:$port/api/v1/$path"
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
      one=$(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"; done |
        sort -n | sed -n 3p | awk '{printf "%.1f", $1 * 1000}')
      out=$(wrk -t1 -c4 -d2s --timeout 30s --latency -H "Authorization: Bearer $token" "$url" 2>&1)
      printf '  %-10s GET /api/v1/%-38s %s  one at a time %7s ms   c=4: %8s req/s p50 %-8s p99 %s\n' "$engine" "$path" "$code" "$one" \
        "$(echo "$out" | awk '/Requests\/sec/{print $2}')" "$(echo "$out" | awk '$1=="50%"{print $2}')" "$(echo "$out" | awk '$1=="99%"{print $2}')"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  }
  for engine in sqlite postgresql; do
    http $engine "statistics/movements?month=$month" "persons/$person/timeline" "movements?port=SAL&day=$day"
  done
  # Before migration 17 (the ledger's day index): the queries it serves.
  echo "  without the movements_day index (before migration 17):"
  sqlite3 "$sdb" "DROP INDEX movements_day"
  psql -qX "$pdb" -c "DROP INDEX movements_day"
  printf '  %-10s monthly report %s from the ledger %9s   movements of SAL on %s (API query) %8s\n' sqlite "$month" "$(q_sqlite "$sdb" "$scan" "$sruns")" "$day" "$(q_sqlite "$sdb" "$byday_sql" 7 "$sprep")"
  printf '  %-10s monthly report %s from the ledger %9s   movements of SAL on %s (API query) %8s\n' postgresql "$month" "$(q_pg "$pdb" "$scan" "$sruns")" "$day" "$(q_pg "$pdb" "$pexec" 7 "$pprep")"
  for engine in sqlite postgresql; do
    http $engine "movements?port=SAL&day=$day"
  done
fi
