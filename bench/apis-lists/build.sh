#!/usr/bin/env bash
# A year of APIS manifests and prechequeo lists (gen.sql) in a fresh
# SQLite database at DB (1.9 GB, about a minute), migrated by BIN first:
#   bench/apis-lists/build.sh BIN DB [TODAY]
# TODAY (default: El Salvador's today) is the last day of the year, the
# day time.sh asks for.  Not run by `make bench` (its size and time).
set -eu
bin=$(realpath "$1") db=$2 today=${3:-$(TZ=UTC+6 date +%F)}
here=$(cd "$(dirname "$0")" && pwd)
rm -f "$db" "$db-wal" "$db-shm"
SIGM_DB=$db "$bin" migrate
sed "s/@TODAY@/$today/" "$here/gen.sql" | sqlite3 -bail "$db"
