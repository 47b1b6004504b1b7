#!/usr/bin/env bash
# bench/hotline.sh BUILD - the 12345 hotline's figures (issue 12), in one run
# on this machine, on SQLite, each next to its yardstick:
#   - work-order intake (POST /api/v1/hotline/orders by a hotline operator,
#     durable: each order, its first step and its audit record committed)
#     next to SQLite's raw durable single-row commit rate (bench/sqlite_commit.c,
#     WAL + synchronous=FULL, measured just before); target >= 0.5 x;
#   - point-in-polygon placement in a 10,000-cell grid (100 x 100 cells over
#     Xuhui, bench/hotline/grid10k.mjs, `ywtb import grids`) through the
#     module's own call (build/bench/lib_hotline_pip); target < 50 us a point;
#   - Open311 GET requests.json (the standard's default: the 1000 newest of
#     the last 90 days) and one request by id, p99 at $BENCH_CONN connections
#     with BENCH_HOTLINE_ORDERS orders in the database (cloned from the demo's
#     orders with SQL, spread over 80 days; they have no steps); target p99
#     < 20 ms with 1,000,000.
# wrk -t2 -c$BENCH_CONN for $BENCH_DURATION s after a $BENCH_WARMUP s warm-up;
# the server runs with --trust-proxy and the requests carry X-Forwarded-For
# addresses, so the per-address rate limits see many clients.  Prints a
# Markdown table and the machine's load; asserts nothing.
#
#   bash bench/hotline.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
YWTB="$BUILD/ywtb"
DUR="${BENCH_DURATION:-10}"
WARM="${BENCH_WARMUP:-2}"
CONN="${BENCH_CONN:-64}"
ORDERS="${BENCH_HOTLINE_ORDERS:-1000000}"
POINTS="${BENCH_HOTLINE_POINTS:-20000}"

tmp="$(mktemp -d /tmp/ywtb-bench-hotline.XXXXXX)"
started=()
cleanup() {
    for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_http() {
    for _ in $(seq $(($2 * 10))); do
        curl -sf -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.1
    done
    return 1
}
# wrk_run TAG URL SCRIPT : "rps p50_us p99_us" of a run after a warm-up (non-2xx answers fail it)
wrk_run() {
    local tag="$1" url="$2" script="$3"
    wrk -t2 -c"$CONN" -d"${WARM}s" --timeout 10s -s "$script" "$url" >/dev/null 2>&1 || true
    wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 10s -s "$script" "$url" >"$tmp/$tag.wrk" 2>&1
    local line
    line=$(grep '^BENCH ' "$tmp/$tag.wrk") || { cat "$tmp/$tag.wrk" >&2; return 1; }
    local errs
    errs=$(sed -E 's/.* err_status=([0-9]+).*/\1/' <<<"$line")
    [ "$errs" = 0 ] || { echo "bench: $tag had $errs non-2xx answers" >&2; cat "$tmp/$tag.wrk" >&2; return 1; }
    sed -E 's/.* rps=([0-9.]+) p50_us=([0-9]+) p99_us=([0-9]+).*/\1 \2 \3/' <<<"$line"
}

mkdir -p "$tmp/bin"
cc -O2 -Wall -Wextra -o "$tmp/bin/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
build_rel="${BUILD#"$root"/}"
make -s -C "$root" BUILD="$build_rel" "$build_rel/bench/lib_hotline_pip" >"$tmp/make-lib.log" 2>&1 ||
    { cat "$tmp/make-lib.log" >&2; exit 1; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)

# 1. point in polygon in a 10,000-cell grid
node "$here/hotline/grid10k.mjs" "$tmp/grid10k.json" 100 >/dev/null
"$YWTB" migrate --db "sqlite:$tmp/grid.db" >"$tmp/migrate.log" 2>&1
"$YWTB" import grids "$tmp/grid10k.json" --db "sqlite:$tmp/grid.db" >"$tmp/import.log" 2>&1
pip=$("$BUILD/bench/lib_hotline_pip" "sqlite:$tmp/grid.db" "$POINTS")

# 2. the database: the demo, then ORDERS orders in all
"$YWTB" seed --demo --db "sqlite:$tmp/ywtb.db" >"$tmp/seed.log" 2>&1
t0=$(date +%s)
have=$(sqlite3 "$tmp/ywtb.db" "SELECT COUNT(*) FROM hotline_orders")
if [ "$ORDERS" -gt "$have" ]; then
    sqlite3 "$tmp/ywtb.db" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
CREATE TEMP TABLE tpl AS SELECT * FROM hotline_orders ORDER BY id;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ORDERS - $have)
INSERT INTO hotline_orders (order_no, channel, category, type, urgency, status, content, address,
    lat, lng, caller_name, caller_phone, dept, limit_days, start_day, due_day, created_at, updated_at)
SELECT 'HLB' || printf('%013d', n.i), t.channel, t.category, t.type, t.urgency, t.status, t.content,
    t.address, t.lat, t.lng, t.caller_name, t.caller_phone, t.dept, t.limit_days, t.start_day, t.due_day,
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now', printf('-%d seconds', ($ORDERS - n.i) * 6912 / $ORDERS * 1000)),
    strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM n JOIN tpl t ON t.rowid = (n.i % (SELECT COUNT(*) FROM tpl)) + 1;
COMMIT;
SQL
fi
orders=$(sqlite3 "$tmp/ywtb.db" "SELECT COUNT(*) FROM hotline_orders")
seed_s=$(($(date +%s) - t0))

# 3. the raw durable commit rate, then the intake
raw=$("$tmp/bin/sqlite_commit" "$tmp/commit.db" 5)
raw_rate=$(sed -E 's/.* rate=([0-9.]+).*/\1/' <<<"$raw")

YP=$(free_port)
"$YWTB" serve --db "sqlite:$tmp/ywtb.db" --listen "127.0.0.1:$YP" --threads 2 --web-root "$root/web" \
    --trust-proxy true --access-log off --log-level warn >"$tmp/ywtb.log" 2>&1 &
started+=($!)
wait_http "http://127.0.0.1:$YP/readyz" 60 || { cat "$tmp/ywtb.log" >&2; exit 1; }
token=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"hotline","password":"Demo@2026"}' \
    "http://127.0.0.1:$YP/api/v1/auth/login" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
cat >"$tmp/intake.json" <<'JSON'
{"category":"HL-101","content":"人行道地砖松动，老人险些绊倒","address":"徐汇区肇嘉浜路 500 号","lat":31.201,"lng":121.452,"caller_name":"刘先生","caller_phone":"13812345678"}
JSON
intake=$(BENCH_BODY="$tmp/intake.json" BENCH_TOKEN="$token" BENCH_XFF=1 wrk_run intake \
    "http://127.0.0.1:$YP/api/v1/hotline/orders" "$here/post_json.lua")

# 4. Open311 GET requests
list=$(wrk_run o311-list "http://127.0.0.1:$YP/open311/v2/requests.json" "$here/hotline/get_xff.lua")
one_id=$(sqlite3 "$tmp/ywtb.db" "SELECT order_no FROM hotline_orders ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM hotline_orders)")
one=$(wrk_run o311-one "http://127.0.0.1:$YP/open311/v2/requests/$one_id.json" "$here/hotline/get_xff.lua")
list_bytes=$(curl -sf "http://127.0.0.1:$YP/open311/v2/requests.json" | wc -c)

read -r i_rps i_p50 i_p99 <<<"$intake"
read -r l_rps l_p50 l_p99 <<<"$list"
read -r o_rps o_p50 o_p99 <<<"$one"
read -r _ _ pip_mean pip_p50 pip_p99 <<<"$(sed -E 's/points=([0-9]+) found=([0-9]+) mean_us=([0-9.]+) p50_us=([0-9.]+) p99_us=([0-9.]+)/\1 \2 \3 \4 \5/' <<<"$pip")"

echo "machine: $(nproc) cores, load average $load0 before the run, $(cut -d' ' -f1-3 /proc/loadavg) after; SQLite; wrk -t2 -c$CONN -d${DUR}s"
echo
echo "| figure | ywtb | yardstick | target |"
echo "| --- | --- | --- | --- |"
awk -v r="$i_rps" -v p="$i_p99" -v raw="$raw_rate" 'BEGIN {
    printf "| work-order intake, durable (POST /api/v1/hotline/orders) | %.0f /s (p99 %.1f ms) | raw durable commits %.0f /s: **%.2f x** | >= 0.5 x: %s |\n",
        r, p / 1000, raw, r / raw, (r / raw >= 0.5 ? "met" : "not met") }'
awk -v m="$pip_mean" -v p50="$pip_p50" -v p99="$pip_p99" -v n="$POINTS" 'BEGIN {
    printf "| point in polygon, 10,000-cell grid (%d points, yw_hotline__grid_locate) | mean %.0f us, p50 %.0f us, p99 %.0f us | - | < 50 us: %s |\n",
        n, m, p50, p99, (m < 50 ? "met" : "not met") }'
awk -v r="$l_rps" -v p50="$l_p50" -v p="$l_p99" -v o="$orders" -v b="$list_bytes" 'BEGIN {
    printf "| Open311 GET requests.json (1000 newest, %d bytes) with %d orders | %.0f /s, p50 %.1f ms, **p99 %.1f ms** | - | p99 < 20 ms with 1,000,000: %s |\n",
        b, o, r, p50 / 1000, p / 1000, (p < 20000 && o >= 1000000 ? "met" : (o < 1000000 ? "not measured at 1,000,000" : "not met")) }'
awk -v r="$o_rps" -v p50="$o_p50" -v p="$o_p99" -v o="$orders" 'BEGIN {
    printf "| Open311 GET requests/{id}.json with %d orders | %.0f /s, p50 %.1f ms, p99 %.1f ms | - | - |\n", o, r, p50 / 1000, p / 1000 }'
echo
echo "The $orders orders: the demo's, then cloned from them with one SQL statement in $seed_s s (spread over the last 80 days, without steps). Raw commits: bench/sqlite_commit.c, WAL, synchronous=FULL, one INSERT per transaction, 5 s, just before the intake. The point-in-polygon time is the module's call on one thread: the bounding-box index range (min_lat <= y) then ray casting over the candidates' rings."
