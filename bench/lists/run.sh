#!/usr/bin/env bash
# make bench: the lists on the dataset bench/inspections/run.sh made (it
# runs first: the directories go in order).
set -eu
exec "$(dirname "$0")/time.sh" "$1/sigm" 5
