#!/usr/bin/env bash
# cold.sh DB BIN...: reads in order of an uncached database, side by side:
# for each binary in turn, ROUNDS times (default 2), drop DB's cached pages,
# then time `sigm backup` of it and `sigm audit verify` on it, and the large
# folios (FileHugePages) each left in the page cache.  STEPS="backup" or
# STEPS="verify" runs one of the two (default both).  DB and its audit key
# are read, never changed; the copy goes to a temporary directory beside DB.
# bench/RESULTS.md, 2026-12-05, fourth session.
set -eu
db=$1
shift
rounds=${ROUNDS:-2}
steps=${STEPS:-backup verify}
tmp=$(mktemp -d "$(dirname "$db")/cold.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
huge() { awk '/FileHugePages/{print int($2 / 1024)}' /proc/meminfo; }
drop() { dd if="$1" iflag=nocache count=0 status=none; }
timed() { # label, command...: seconds and large folios added
	local label=$1 h t0 t1
	shift
	drop "$db"
	h=$(huge)
	t0=$(date +%s.%N)
	"$@" > /dev/null 2> "$tmp/err" || { echo "$label failed:"; cat "$tmp/err"; exit 1; }
	t1=$(date +%s.%N)
	printf '  %-14s %6.2f s  large folios %+d MB\n' "$label" "$(echo "$t1 - $t0" | bc)" $(($(huge) - h))
}
for r in $(seq "$rounds"); do
	for bin in "$@"; do
		echo "$bin (round $r)"
		case " $steps " in *" backup "*)
			rm -f "$tmp/copy.db" "$tmp/copy.db.auditkey"
			timed backup "$bin" backup "$tmp/copy.db" --db "$db"
			drop "$tmp/copy.db" ;;
		esac
		case " $steps " in *" verify "*)
			timed "audit verify" "$bin" audit verify --db "$db" ;;
		esac
	done
done
