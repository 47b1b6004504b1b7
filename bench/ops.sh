#!/usr/bin/env bash
# bench/ops.sh BUILD - the operations figures (issue 21): the cost of the
# acknowledged logout on two nodes sharing one throw-away PostgreSQL
# (bench/ops_logout.mjs).  Prints a Markdown table and the machine's load;
# asserts nothing.
#
#   bash bench/ops.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
export YWTB_PGTEST_STATE="$BUILD/pgbench-ops.env"
trap 'bash scripts/pgtest.sh stop >/dev/null 2>&1 || true' EXIT
url="$(bash scripts/pgtest.sh start)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
YWTB_BIN="$BUILD/ywtb" YWTB_TEST_ENGINE=postgres YWTB_TEST_PG_ADMIN="$url" node bench/ops_logout.mjs
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
