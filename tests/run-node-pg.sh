#!/usr/bin/env bash
# Runs tests/run-node.sh SUITE DIR against PostgreSQL: starts a throw-away
# server (scripts/pg-test-server.sh), runs the suite with SIGM_TEST_ENGINE=pg
# (each test server gets its own database), stops the server.  The suite is
# recorded like any other, so a server that cannot start is a failure.
set -u
suite=$1; dir=$2
mkdir -p build/results
pgdir=$(mktemp -d /tmp/sigm-pg-XXXXXX)
trap 'scripts/pg-test-server.sh stop "$pgdir"' EXIT
if ! url=$(scripts/pg-test-server.sh start "$pgdir"); then
  echo "$suite: PostgreSQL test server did not start"; echo "0 1" > "build/results/$suite"; exit 1
fi
SIGM_TEST_ENGINE=pg SIGM_TEST_PG_URL=$url tests/run-node.sh "$suite" "$dir"
