#!/usr/bin/env bash
# bench/audit.sh BUILD - audit appends per second (issue 17, "an audit log for a
# city"): this version's per-connection chains next to the previous version's
# single chain (every append reserving on the one audit_head row, its lock held
# to the commit), measured alternately in the same run on the same server, with
# four writer threads in one process and with three processes ("nodes") of two
# writer threads each on one PostgreSQL.  bench/lib_audit.c does the appends
# through ywtb's db layer (one transaction, one record each).  PostgreSQL is
# scripts/pgtest.sh's throw-away cluster with fsync turned back on (durable
# commits, as in production); SQLite (one writer at a time by design) for
# comparison.  Prints a Markdown section for docs/PERFORMANCE.md.
#
# Environment: BENCH_DURATION [10] seconds of each run, BENCH_AUDIT_ROUNDS [2]
# alternations of single/chains (the median of the rounds is reported).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
DUR="${BENCH_DURATION:-10}"
ROUNDS="${BENCH_AUDIT_ROUNDS:-2}"

tmp="$(mktemp -d /tmp/ywtb-bench-audit.XXXXXX)"
export YWTB_PGTEST_STATE="$tmp/pgtest.env"
cleanup() {
    bash "$root/scripts/pgtest.sh" stop > /dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

make -s "$BUILD/bench/lib_audit" BUILD="$BUILD" > /dev/null
bin="$tmp/lib_audit"
cp "$BUILD/bench/lib_audit" "$bin"

rate() { sed -n 's/.*rate=\([0-9]*\).*/\1/p'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# one process, THREADS writers: rate
one() { "$bin" "$1" "$2" "$3" "$DUR" | rate; }
# three processes ("nodes") of THREADS writers each: summed rate
nodes() {
    local i pids=() sum=0
    for i in 1 2 3; do
        "$bin" "$1" "$2" "$3" "$DUR" > "$tmp/node$i.out" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    for i in 1 2 3; do sum=$((sum + $(rate < "$tmp/node$i.out"))); done
    echo "$sum"
}

load0=$(cut -d' ' -f1 /proc/loadavg)
declare -A res
measure() { # engine url-of-the-single-chain-database url-of-the-chains-database
    local e="$1" us="$2" uc="$3" r
    "$bin" "$us" single 1 0.2 > /dev/null # migrate, warm up
    "$bin" "$uc" chains 1 0.2 > /dev/null
    for r in $(seq "$ROUNDS"); do
        res["$e single 4"]+="$(one "$us" single 4) "
        res["$e chains 4"]+="$(one "$uc" chains 4) "
        if [ "$e" = PostgreSQL ]; then
            res["$e single n3"]+="$(nodes "$us" single 2) "
            res["$e chains n3"]+="$(nodes "$uc" chains 2) "
        fi
    done
}

measure SQLite "sqlite:$tmp/single.db" "sqlite:$tmp/chains.db"
if admin=$(bash "$root/scripts/pgtest.sh" start 2> "$tmp/pg.err" | tail -n 1); then
    psql -X -q -d "$admin" -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" > /dev/null
    psql -X -q -d "$admin" -c "CREATE DATABASE audit_single" -c "CREATE DATABASE audit_chains" > /dev/null
    measure PostgreSQL "${admin%/*}/audit_single" "${admin%/*}/audit_chains"
else
    echo "audit.sh: no PostgreSQL: $(tail -n 2 "$tmp/pg.err")" >&2
fi
load1=$(cut -d' ' -f1 /proc/loadavg)

med() { echo "${res[$1]:-}" | tr ' ' '\n' | grep . | median; }
row() { # label engine key
    local s c
    s=$(med "$2 single $3")
    c=$(med "$2 chains $3")
    [ -n "$s" ] && [ -n "$c" ] || return 0
    echo "| $1 | $2 | $(printf "%'d" "$s") | $(printf "%'d" "$c") | $(awk -v a="$c" -v b="$s" 'BEGIN {printf "%.2f", a / b}') |"
}
echo "Audit appends per second (one transaction, one record each), the previous version's single chain and this version's per-connection chains alternated $ROUNDS times in the same run (median), ${DUR} s each; $(nproc) cores shared with other work, load average $load0 before and $load1 after; PostgreSQL $(psql --version | awk '{print $3}') with fsync on."
echo
echo "| writers | engine | single chain /s | chains /s | chains ÷ single |"
echo "|---|---|---:|---:|---:|"
row "4 threads, 1 process" SQLite 4
row "4 threads, 1 process" PostgreSQL 4
row "3 nodes × 2 threads" PostgreSQL n3
