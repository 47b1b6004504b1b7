#!/bin/bash
# datahub.sh - the data hub's figures (issue 9) on SQLite, each next to its
# yardstick measured in the same run:
#   import   `ywtb import data` rows/s of BENCH_DH_ROWS generated 户籍人口 rows
#            (bench/dh_gen.mjs) next to the raw rate of inserting the same
#            rows in 10,000-row transactions (bench/dh_insert.c); target >= 0.5 x
#   reads    authorized subject reads/s with their ledger entry durable before
#            the answer (64 connections, bench/dh_read.mjs) next to the raw
#            durable single-row commit rate (bench/sqlite_commit.c); target >= 1 x
# Usage: bash bench/datahub.sh BUILD_DIR      (BENCH_DH_ROWS, BENCH_DH_SECONDS, BENCH_DH_CONC)
# Not part of `make test`; not yet part of bench/run.sh (the lead may fold it in).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=$(cd "${1:-build}" && pwd)/ywtb
rows=${BENCH_DH_ROWS:-200000}
secs=${BENCH_DH_SECONDS:-10}
conc=${BENCH_DH_CONC:-64}
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cc -O2 -o "$tmp/dh_insert" "$here/dh_insert.c" -lsqlite3
cc -O2 -o "$tmp/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
node "$here/dh_gen.mjs" "$rows" > "$tmp/rows.ndjson"
db="sqlite:$tmp/y.db"
cheap=(--pwhash-ops 1 --pwhash-mem 8388608)
(cd "$tmp" && "$bin" seed --demo --db "$db" --data-dir "$repo/data" "${cheap[@]}" > /dev/null)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU seconds too: on a shared machine the wall clock measures the neighbours
TIMEFORMAT='cpu_s=%U+%S wall_s=%R'
echo "raw insert (10,000-row transactions): $( { time "$tmp/dh_insert" "$tmp/raw.db" "$tmp/rows.ndjson"; } 2>&1 | tr '\n' ' ')"
echo "import: $( { time (cd "$tmp" && "$bin" import data GA-HJRK "$tmp/rows.ndjson" --db "$db" --errors "$tmp/err.csv" 2>/dev/null); } 2>&1 | tr '\n' ' ')"
commit=$("$tmp/sqlite_commit" "$tmp/commit.db" 5)
echo "raw durable commit: $commit"
port=$((20000 + RANDOM % 20000))
(cd "$tmp" && exec "$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-root "$repo/web" --data-dir "$repo/data" --access-log off "${cheap[@]}") > "$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.1; done
token=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"reviewer","password":"Demo@2026"}' "http://127.0.0.1:$port/api/v1/auth/login" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
echo "reads: $(node "$here/dh_read.mjs" "http://127.0.0.1:$port" "$token" "$tmp/rows.ndjson" "$secs" "$conc")"
