#!/bin/bash
# datahub.sh - the data hub's figures (issue 9) on SQLite and PostgreSQL, each
# next to its yardstick measured on the same engine in the same run;
# bench/run.sh calls it (`make bench`) and puts the Markdown it prints on
# stdout into docs/PERFORMANCE.md:
#   import   `ywtb import data` rows/s of BENCH_DH_ROWS generated 户籍人口 rows
#            (bench/dh_gen.mjs) next to the raw rate of inserting the same
#            rows in 10,000-row transactions (SQLite: bench/dh_insert.c;
#            PostgreSQL: bench/dh_insert_pg.c, one prepared INSERT a row);
#            target >= 0.5 x.  CPU seconds too on SQLite (both run in this
#            process tree): on a shared machine the wall clock measures the
#            neighbours.
#   reads    authorized subject reads/s with their ledger entry durable before
#            the answer (BENCH_DH_CONC connections, bench/dh_read.mjs) next to
#            the raw durable single-row commit rate (bench/sqlite_commit.c,
#            bench/dh_insert_pg.c --commits); target >= 1 x.  With
#            BENCH_DH_RECORDS=N the hub first gets N generated records
#            (bench/dh_fill.c: straight into SQLite, COPY into PostgreSQL), so
#            the read's p99 is measured at that size (the issue: 25,000,000).
# Usage: bash bench/datahub.sh BUILD_DIR
#   BENCH_DH_ENGINES ["sqlite postgres"]  BENCH_DH_ROWS [200000]
#   BENCH_DH_SECONDS [10]  BENCH_DH_CONC [64]  BENCH_DH_RECORDS [0]
# PostgreSQL: a throw-away cluster (scripts/pgtest.sh) with fsync turned on,
# so "durable" means what it says.  Everything but the Markdown goes to
# stderr.  Never part of `make test`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
bin=$(cd "${1:-build}" && pwd)/ywtb
rows=${BENCH_DH_ROWS:-200000}
secs=${BENCH_DH_SECONDS:-10}
conc=${BENCH_DH_CONC:-64}
records=${BENCH_DH_RECORDS:-0}
engines=${BENCH_DH_ENGINES:-sqlite postgres}
tmp=$(mktemp -d)
chmod 755 "$tmp"
pid=
pg_state="$tmp/pgtest.env"
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -f "$pg_state" ] && YWTB_PGTEST_STATE="$pg_state" bash "$repo/scripts/pgtest.sh" stop > /dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
exec 3>&1 1>&2 # the report on the caller's stdout, the rest on stderr
cc -O2 -o "$tmp/dh_insert" "$here/dh_insert.c" -lsqlite3
cc -O2 -o "$tmp/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
cc -O2 -o "$tmp/dh_fill" "$here/dh_fill.c" -lsqlite3
cc -O2 -I"$(pg_config --includedir 2> /dev/null || echo /usr/include/postgresql)" -o "$tmp/dh_insert_pg" "$here/dh_insert_pg.c" -lpq
node "$here/dh_gen.mjs" "$rows" > "$tmp/rows.ndjson"
cheap=(--pwhash-ops 1 --pwhash-mem 8388608)
TIMEFORMAT='%U %S %R'
kv() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; } # key=value fields of a line
fmt() { awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s }'; }

# serve on db, read for secs with the reviewer (XH-SCJ: the demo grant on GA-HJRK); prints dh_read's line
reads() {
    local db=$1 port=$((20000 + RANDOM % 20000))
    (cd "$tmp" && exec "$bin" serve --db "$db" --listen "127.0.0.1:$port" --web-root "$repo/web" --data-dir "$repo/data" --access-log off "${cheap[@]}") > "$tmp/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/readyz" > /dev/null && break; sleep 0.1; done
    local token
    token=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"reviewer","password":"Demo@2026"}' "http://127.0.0.1:$port/api/v1/auth/login" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
    node "$here/dh_read.mjs" "http://127.0.0.1:$port" "$token" "$tmp/rows.ndjson" "$secs" "$conc"
    kill "$pid"
    wait "$pid" 2> /dev/null || true
    pid=
}

line() { # engine imp_rate imp_cpu raw_rate raw_cpu reads commit total
    local eng=$1 ir=$2 ic=$3 rr=$4 rc=$5 rd=$6 cm=$7 total=$8
    local ratio cpu=""
    ratio=$(awk -v a="$ir" -v b="$rr" 'BEGIN {printf "%.2f", a / b}')
    [ -n "$ic" ] && cpu=", $(awk -v a="$ic" -v b="$rc" 'BEGIN {printf "%.2f", b / a}') × CPU"
    echo "| $eng | \`ywtb import data\` (NDJSON, checked, upserted 64 rows a statement, 10,000 a transaction) | $(fmt "$ir") rows/s${ic:+; $ic CPU s} | raw single-row inserts of the same rows, 10,000 a transaction: $(fmt "$rr") rows/s${rc:+; $rc CPU s} | $ratio × wall$cpu | ≥ 0.5 × |"
    echo "| $eng | authorized subject reads at $conc connections, ledger entry durable before the answer, $(fmt "$total") records in the hub | $(fmt "$(kv "$rd" rate)") reads/s, p50 $(kv "$rd" p50_ms) ms, p99 $(kv "$rd" p99_ms) ms, errors $(kv "$rd" errors) | raw durable single-row commits: $(fmt "$(kv "$cm" rate)")/s | $(awk -v a="$(kv "$rd" rate)" -v b="$(kv "$cm" rate)" 'BEGIN {printf "%.1f", a / b}') × | ≥ 1 ×; p99 < 20 ms |"
}

out=()
load=$(cut -d' ' -f1-3 /proc/loadavg)
for eng in $engines; do
    echo "== $eng" >&2
    if [ "$eng" = sqlite ]; then
        db="sqlite:$tmp/y.db"
        (cd "$tmp" && "$bin" seed --demo --db "$db" --data-dir "$repo/data" "${cheap[@]}" > /dev/null 2>&1)
        raw_t=$({ time "$tmp/dh_insert" "$tmp/raw.db" "$tmp/rows.ndjson" > "$tmp/raw.out"; } 2>&1)
        imp_t=$({ time (cd "$tmp" && "$bin" import data GA-HJRK "$tmp/rows.ndjson" --db "$db" --errors "$tmp/err.csv" > "$tmp/imp.out" 2> /dev/null); } 2>&1)
        commit=$("$tmp/sqlite_commit" "$tmp/commit.db" 5)
        if [ "$records" -gt 0 ]; then
            ids=$(sqlite3 "$tmp/y.db" "SELECT group_concat(id) FROM dh_resources WHERE subject_kind = 'person'")
            "$tmp/dh_fill" sqlite "$tmp/y.db" "$records" "$ids"
            sqlite3 "$tmp/y.db" "ANALYZE"
        fi
        total=$(sqlite3 "$tmp/y.db" "SELECT COUNT(*) FROM dh_records")
        rd=$(reads "$db")
        echo "raw: $(cat "$tmp/raw.out") time: $raw_t; import: $(cat "$tmp/imp.out") time: $imp_t; commit: $commit; reads: $rd" >&2
        read -r ru rs rw <<<"$raw_t"
        read -r iu is iw <<<"$imp_t"
        out+=("$(line SQLite "$(awk -v n="$rows" -v w="$iw" 'BEGIN {printf "%.0f", n / w}')" \
            "$(awk -v u="$iu" -v s="$is" 'BEGIN {printf "%.2f", u + s}')" \
            "$(awk -v n="$rows" -v w="$rw" 'BEGIN {printf "%.0f", n / w}')" \
            "$(awk -v u="$ru" -v s="$rs" 'BEGIN {printf "%.2f", u + s}')" "$rd" "$commit" "$total")")
    else
        if ! admin=$(YWTB_PGTEST_STATE="$pg_state" bash "$repo/scripts/pgtest.sh" start 2> "$tmp/pg.err" | tail -n 1); then
            echo "datahub.sh: no PostgreSQL: $(tail -n 2 "$tmp/pg.err")" >&2
            continue
        fi
        # the test cluster runs with fsync off; the figures here are durable ones
        psql -X -q -d "$admin" -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" > /dev/null
        psql -X -q -d "$admin" -c "CREATE DATABASE dh_bench" > /dev/null
        url="${admin%/*}/dh_bench"
        (cd "$tmp" && "$bin" seed --demo --db "$url" --data-dir "$repo/data" "${cheap[@]}" > /dev/null 2>&1)
        raw=$("$tmp/dh_insert_pg" "$url" "$tmp/rows.ndjson")
        imp_t=$({ time (cd "$tmp" && "$bin" import data GA-HJRK "$tmp/rows.ndjson" --db "$url" --errors "$tmp/err.csv" > "$tmp/imp.out" 2> /dev/null); } 2>&1)
        commit=$("$tmp/dh_insert_pg" "$url" --commits 5)
        if [ "$records" -gt 0 ]; then
            ids=$(psql -X -A -t -d "$url" -c "SELECT string_agg(id::text, ',') FROM dh_resources WHERE subject_kind = 'person'")
            "$tmp/dh_fill" copy "$records" "$ids" | psql -X -q -d "$url" -c "COPY dh_records (resource_id, subject, record_key, data, batch_id, updated_at) FROM STDIN"
            psql -X -q -d "$url" -c "ANALYZE dh_records" > /dev/null
        fi
        total=$(psql -X -A -t -d "$url" -c "SELECT COUNT(*) FROM dh_records")
        rd=$(reads "$url")
        echo "raw: $raw; import: $(cat "$tmp/imp.out") time: $imp_t; commit: $commit; reads: $rd" >&2
        read -r iu is iw <<<"$imp_t"
        out+=("$(line PostgreSQL "$(awk -v n="$rows" -v w="$iw" 'BEGIN {printf "%.0f", n / w}')" "" "$(kv "$raw" rate)" "" "$rd" "$commit" "$total")")
        YWTB_PGTEST_STATE="$pg_state" bash "$repo/scripts/pgtest.sh" stop > /dev/null 2>&1 || true
    fi
done
{
    echo "$(nproc) cores, load average $load when it started; $(fmt "$rows") generated 户籍人口 rows imported; reads at $conc connections for ${secs} s; every ratio is of two figures of the same engine in the same run."
    echo
    echo "| engine | what | figure | yardstick (same run) | ratio | target |"
    echo "| --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${out[@]}"
} >&3
