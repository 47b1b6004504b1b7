#!/bin/bash
# datahub.sh - the data hub's figures (issue 9) on SQLite, each next to its
# yardstick measured in the same run; bench/run.sh calls it (`make bench`)
# and puts the Markdown it prints on stdout into docs/PERFORMANCE.md:
#   import   `ywtb import data` rows/s of BENCH_DH_ROWS generated 户籍人口 rows
#            (bench/dh_gen.mjs) next to the raw rate of inserting the same
#            rows in 10,000-row transactions (bench/dh_insert.c); target >= 0.5 x.
#            CPU seconds too: on a shared machine the wall clock measures the
#            neighbours.
#   reads    authorized subject reads/s with their ledger entry durable before
#            the answer (BENCH_DH_CONC connections, bench/dh_read.mjs) next to
#            the raw durable single-row commit rate (bench/sqlite_commit.c);
#            target >= 1 x
# Usage: bash bench/datahub.sh BUILD_DIR   (BENCH_DH_ROWS, BENCH_DH_SECONDS, BENCH_DH_CONC)
# Everything but the Markdown goes to stderr.  Never part of `make test`.
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
exec 3>&1 1>&2 # the report on the caller's stdout, the rest on stderr
cc -O2 -o "$tmp/dh_insert" "$here/dh_insert.c" -lsqlite3
cc -O2 -o "$tmp/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
node "$here/dh_gen.mjs" "$rows" > "$tmp/rows.ndjson"
db="sqlite:$tmp/y.db"
cheap=(--pwhash-ops 1 --pwhash-mem 8388608)
(cd "$tmp" && "$bin" seed --demo --db "$db" --data-dir "$repo/data" "${cheap[@]}" > /dev/null)
load=$(cut -d' ' -f1-3 /proc/loadavg)
TIMEFORMAT='%U %S %R'
raw_t=$( { time "$tmp/dh_insert" "$tmp/raw.db" "$tmp/rows.ndjson" > "$tmp/raw.out"; } 2>&1 )
imp_t=$( { time (cd "$tmp" && "$bin" import data GA-HJRK "$tmp/rows.ndjson" --db "$db" --errors "$tmp/err.csv" > "$tmp/imp.out" 2>/dev/null); } 2>&1 )
commit=$("$tmp/sqlite_commit" "$tmp/commit.db" 5)
port=$((20000 + RANDOM % 20000))
(cd "$tmp" && exec "$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-root "$repo/web" --data-dir "$repo/data" --access-log off "${cheap[@]}") > "$tmp/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.1; done
token=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"reviewer","password":"Demo@2026"}' "http://127.0.0.1:$port/api/v1/auth/login" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
reads=$(node "$here/dh_read.mjs" "http://127.0.0.1:$port" "$token" "$tmp/rows.ndjson" "$secs" "$conc")
echo "raw: $(cat "$tmp/raw.out") time: $raw_t; import: $(cat "$tmp/imp.out") time: $imp_t; commit: $commit; reads: $reads"
# key=value fields of a line
kv() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }
read -r ru rs rw <<<"$raw_t"
read -r iu is iw <<<"$imp_t"
raw_rate=$(awk -v n="$rows" -v w="$rw" 'BEGIN {printf "%.0f", n / w}')
imp_rate=$(awk -v n="$rows" -v w="$iw" 'BEGIN {printf "%.0f", n / w}')
commit_rate=$(kv "$commit" rate)
read_rate=$(kv "$reads" rate)
{
    echo "SQLite, $(nproc) cores, load average $load when it started; $rows generated 户籍人口 rows; reads at $conc connections for ${secs} s."
    echo
    echo "| what | figure | yardstick (same run) | ratio | target |"
    echo "| --- | --- | --- | --- | --- |"
    echo "| \`ywtb import data\` (NDJSON, checked, upserted, 5,000 a transaction) | $imp_rate rows/s; $(awk -v u="$iu" -v s="$is" 'BEGIN {printf "%.2f", u + s}') CPU s | raw insert of the same rows, 10,000 a transaction: $raw_rate rows/s; $(awk -v u="$ru" -v s="$rs" 'BEGIN {printf "%.2f", u + s}') CPU s | $(awk -v a="$imp_rate" -v b="$raw_rate" 'BEGIN {printf "%.2f", a / b}') × wall, $(awk -v a="$iu" -v b="$is" -v c="$ru" -v d="$rs" 'BEGIN {printf "%.2f", (c + d) / (a + b)}') × CPU | ≥ 0.5 × |"
    echo "| authorized subject reads, ledger entry durable before the answer | $read_rate reads/s, p50 $(kv "$reads" p50_ms) ms, p99 $(kv "$reads" p99_ms) ms, errors $(kv "$reads" errors) | raw durable single-row commits: $commit_rate/s | $(awk -v a="$read_rate" -v b="$commit_rate" 'BEGIN {printf "%.1f", a / b}') × | ≥ 1 × |"
} >&3
