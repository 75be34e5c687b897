#!/usr/bin/env bash
# pg-test-server.sh - a throw-away PostgreSQL server for the tests.
#
#   scripts/pg-test-server.sh start DIR   initdb into DIR/data, start postgres
#                                         listening only on a Unix socket in
#                                         DIR (no TCP port to collide on);
#                                         prints the base URL
#   scripts/pg-test-server.sh stop DIR    stop it (fast shutdown) and remove DIR
#   scripts/pg-test-server.sh bindir      where the server binaries are
#
# The base URL is postgresql:///postgres?host=DIR&user=sigm; tests replace
# the database name with a fresh one each (CREATE DATABASE is cheap).
#
# initdb and postgres refuse to run as root.  As root (this machine, CI) the
# server runs as the unprivileged "postgres" account that Debian's
# postgresql package creates (runuser); as anyone else it runs as that user.
# fsync stays on: the tests exercise the same durability as production.
# Binaries: the newest /usr/lib/postgresql/<major>/bin (Debian), else the
# directory of an initdb on PATH; PG_BINDIR overrides.  PG_SERVER_OPTS adds
# server settings (the benchmarks give it more memory).
set -eu

bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  echo "pg-test-server: no PostgreSQL server binaries (apt-get install postgresql)" >&2
  return 1
}

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-}; dir=${2:-}
case "$cmd" in
bindir) bindir ;;
start)
  [ -n "$dir" ] || { echo "usage: $0 start DIR" >&2; exit 2; }
  bin=$(bindir)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "pg-test-server: as root, the 'postgres' account is needed (postgresql package)" >&2; exit 1; }
    chown postgres: "$dir"
    chmod 755 "$dir"
  fi
  # C collation: text sorts byte by byte, as in SQLite (ISO dates, cursors).
  as_server "$bin/initdb" -D "$dir/data" -U sigm --auth=trust --locale=C \
    -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses= -c unix_socket_directories=$dir -c fsync=on -c synchronous_commit=on -c max_connections=300 -c shared_buffers=64MB ${PG_SERVER_OPTS:-}" \
    start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  echo "postgresql:///postgres?host=$dir&user=sigm"
  ;;
stop)
  [ -n "$dir" ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
  bin=$(bindir)
  if [ -d "$dir/data" ]; then
    as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR | bindir" >&2; exit 2 ;;
esac
