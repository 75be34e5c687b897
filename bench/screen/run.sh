#!/usr/bin/env bash
# bench/screen/run.sh BUILD - the screening benchmark (bench_screen.c) with
# its pg_trgm baseline: starts a throw-away PostgreSQL 15 on a Unix socket in
# a temp dir, runs the benchmark, stops the server and removes the dir.
# Environment: SCREEN_N (1000000), SCREEN_PER_KIND, SCREEN_BRUTE_N,
# SCREEN_PG_N, SCREEN_SEED (see bench_screen.c); PGBIN.
set -eu
build=${1:-build}
bin=$build/bench/screen
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
export SIGM_DATA=${SIGM_DATA:-$PWD/data}
if [ ! -x "$PGBIN/initdb" ]; then
  echo "bench/screen: no PostgreSQL in $PGBIN, pg_trgm baseline skipped" >&2
  exec "$bin"
fi
tmp=$(mktemp -d /tmp/sigm-bench-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then
  chown postgres "$tmp"   # initdb refuses to run as root
  run_pg() { runuser -u postgres -- "$@"; }
else
  run_pg() { "$@"; }
fi
cleanup() {
  if [ -f "$tmp/data/postmaster.pid" ]; then
    run_pg "$PGBIN/pg_ctl" -D "$tmp/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
run_pg "$PGBIN/initdb" -D "$tmp/data" -A trust -U bench >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/log" -w \
  -o "-k $tmp -c listen_addresses='' -c fsync=off -c shared_buffers=1GB -c maintenance_work_mem=1GB -c max_parallel_workers_per_gather=0" \
  start >/dev/null
BENCH_PG="host=$tmp dbname=postgres user=bench" "$bin"
