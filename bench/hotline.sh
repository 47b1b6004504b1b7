#!/usr/bin/env bash
# bench/hotline.sh BUILD - the 12345 hotline's figures (issue 12), in one run
# on this machine, on SQLite and on PostgreSQL, each next to its yardstick:
#   - work-order intake (POST /api/v1/hotline/orders by a hotline operator,
#     durable: each order, its first step and its audit record committed)
#     next to the engine's raw durable single-row commit rate measured just
#     before (SQLite: bench/sqlite_commit.c, WAL + synchronous=FULL;
#     PostgreSQL: pgbench, one INSERT a transaction, fsync on); target >= 0.5 x;
#   - point-in-polygon placement in a 10,000-cell grid (100 x 100 cells over
#     Xuhui, bench/hotline/grid10k.mjs, `ywtb import grids`) through the
#     module's own call (build/bench/lib_hotline_pip: the grids' stamp read on
#     the connection, then the in-memory index); target < 50 us a point;
#   - Open311 GET requests.json with BENCH_HOTLINE_ORDERS orders in the
#     database (cloned from the demo's orders with SQL, spread over 80 days;
#     they have no steps), p99 at $BENCH_CONN connections, three ways:
#     the default question (the first page, the answer the node keeps until an
#     order changes), pages at random keyset cursors (?before=ID of 3,000
#     random public requests: almost every one read from the database and
#     written out), and one request by id; next to GET /healthz in the same
#     run (the HTTP floor of this machine at this moment); target p99 < 20 ms
#     with 1,000,000.
# wrk -t2 -c$BENCH_CONN for $BENCH_DURATION s after a $BENCH_WARMUP s warm-up;
# the server runs with --trust-proxy and the requests carry X-Forwarded-For
# addresses, so the per-address rate limits see many clients.  Prints a
# Markdown table and the machine's load; asserts nothing.
#
#   bash bench/hotline.sh build
#   BENCH_HOTLINE_ENGINES=sqlite bash bench/hotline.sh build    (one engine)
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
ENGINES="${BENCH_HOTLINE_ENGINES:-sqlite pg}"
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r | head -1)}"

tmp="$(mktemp -d /tmp/ywtb-bench-hotline.XXXXXX)"
chmod 711 "$tmp" # postgres must reach its directory
started=()
pg_data=""
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
    for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
        timeout 30 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 ||
            timeout 10 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
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
# row FIGURE "rps p50 p99" TARGET-TEXT
row_http() {
    read -r r p50 p99 <<<"$2"
    awk -v f="$1" -v r="$r" -v p50="$p50" -v p="$p99" -v t="$3" 'BEGIN {
        printf "| %s | %.0f /s, p50 %.1f ms, **p99 %.1f ms** | %s |\n", f, r, p50 / 1000, p / 1000, t }'
}

mkdir -p "$tmp/bin"
cc -O2 -Wall -Wextra -o "$tmp/bin/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
build_rel="${BUILD#"$root"/}"
make -s -C "$root" BUILD="$build_rel" "$build_rel/bench/lib_hotline_pip" >"$tmp/make-lib.log" 2>&1 ||
    { cat "$tmp/make-lib.log" >&2; exit 1; }
node "$here/hotline/grid10k.mjs" "$tmp/grid10k.json" 100 >/dev/null

load0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "machine: $(nproc) cores, load average $load0 at the start; wrk -t2 -c$CONN -d${DUR}s"
echo

# ---- PostgreSQL: a throw-away cluster, fsync on (the intake is durable) ----
pg_start() {
    [ -x "$PGBIN/initdb" ] || { echo "bench: no PostgreSQL in $PGBIN" >&2; return 1; }
    mkdir -p "$tmp/pg"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$tmp/pg"
    chmod 700 "$tmp/pg"
    pg_data="$tmp/pg/data"
    PGPORT=$(free_port)
    "${as_pg[@]}" "$PGBIN/initdb" -D "$pg_data" -E UTF8 --locale=C.UTF-8 -A trust -U postgres \
        >"$tmp/pg-initdb.log" 2>&1 || { cat "$tmp/pg-initdb.log" >&2; return 1; }
    timeout 60 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -l "$tmp/pg/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $tmp/pg -c max_connections=60 -c shared_buffers=256MB" \
        start >"$tmp/pg-start.log" 2>&1 || { cat "$tmp/pg-start.log" "$tmp/pg/server.log" >&2; return 1; }
    for d in ywtb_hotline ywtb_grid; do
        "${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$d"
    done
}
psql_pg() { "${as_pg[@]}" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }

# ---- one engine: ENGINE URL GRID_URL ----
measure() {
    local eng="$1" url="$2" grid_url="$3" t0 have orders seed_s raw_rate raw_desc
    # 1. point in polygon in a 10,000-cell grid
    "$YWTB" migrate --db "$grid_url" >"$tmp/migrate-$eng.log" 2>&1
    "$YWTB" import grids "$tmp/grid10k.json" --db "$grid_url" >"$tmp/import-$eng.log" 2>&1
    local pip
    pip=$("$BUILD/bench/lib_hotline_pip" "$grid_url" "$POINTS")

    # 2. the database: the demo, then ORDERS orders in all
    "$YWTB" seed --demo --db "$url" >"$tmp/seed-$eng.log" 2>&1
    t0=$(date +%s)
    if [ "$eng" = sqlite ]; then
        local f="${url#sqlite:}"
        have=$(sqlite3 "$f" "SELECT COUNT(*) FROM hotline_orders")
        if [ "$ORDERS" -gt "$have" ]; then
            sqlite3 "$f" >/dev/null <<SQL
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
        orders=$(sqlite3 "$f" "SELECT COUNT(*) FROM hotline_orders")
        sqlite3 "$f" "SELECT order_no FROM hotline_orders WHERE (substr(category, 1, 4) = 'HL-1' OR channel = 'open311') ORDER BY random() LIMIT 3000" >"$tmp/ids-$eng.txt"
        one_id=$(sqlite3 "$f" "SELECT order_no FROM hotline_orders ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM hotline_orders)")
        raw_rate=$("$tmp/bin/sqlite_commit" "$tmp/commit.db" 5 | sed -E 's/.* rate=([0-9.]+).*/\1/')
        raw_desc="bench/sqlite_commit.c, WAL, synchronous=FULL"
    else
        have=$(psql_pg -At -c "SELECT COUNT(*) FROM hotline_orders" ywtb_hotline)
        if [ "$ORDERS" -gt "$have" ]; then
            psql_pg ywtb_hotline >/dev/null <<SQL
BEGIN;
CREATE TEMP TABLE tpl AS SELECT row_number() OVER (ORDER BY id) AS rn, * FROM hotline_orders;
INSERT INTO hotline_orders (order_no, channel, category, type, urgency, status, content, address,
    lat, lng, caller_name, caller_phone, dept, limit_days, start_day, due_day, created_at, updated_at)
SELECT 'HLB' || lpad(n::text, 13, '0'), t.channel, t.category, t.type, t.urgency, t.status, t.content,
    t.address, t.lat, t.lng, t.caller_name, t.caller_phone, t.dept, t.limit_days, t.start_day, t.due_day,
    to_char(now() AT TIME ZONE 'UTC' - make_interval(secs => (($ORDERS - n)::bigint * 6912 / $ORDERS * 1000)),
            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
FROM generate_series(1, $ORDERS - $have) AS n JOIN tpl t ON t.rn = (n % (SELECT COUNT(*) FROM tpl)) + 1;
COMMIT;
VACUUM ANALYZE hotline_orders;
SQL
        fi
        orders=$(psql_pg -At -c "SELECT COUNT(*) FROM hotline_orders" ywtb_hotline)
        psql_pg -At -c "SELECT order_no FROM hotline_orders WHERE (substr(category, 1, 4) = 'HL-1' OR channel = 'open311') ORDER BY random() LIMIT 3000" ywtb_hotline >"$tmp/ids-$eng.txt"
        one_id=$(psql_pg -At -c "SELECT order_no FROM hotline_orders ORDER BY id LIMIT 1 OFFSET (SELECT COUNT(*) / 2 FROM hotline_orders)" ywtb_hotline)
        psql_pg -c "CREATE TABLE bench_commit (id bigserial PRIMARY KEY, at timestamptz NOT NULL, payload text NOT NULL)" ywtb_hotline
        printf '%s\n' "INSERT INTO bench_commit (at, payload) VALUES (now(), '{\"order_no\":\"HL20261207000001\",\"status\":\"received\"}');" >"$tmp/pgbench.sql"
        chmod a+r "$tmp/pgbench.sql"
        "${as_pg[@]}" pgbench -n -h 127.0.0.1 -p "$PGPORT" -U postgres -c 1 -j 1 -T 5 -f "$tmp/pgbench.sql" ywtb_hotline >"$tmp/pgbench.out" 2>&1
        raw_rate=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$tmp/pgbench.out" | head -1)
        raw_desc="pgbench -c1, one INSERT a transaction, fsync on, synchronous_commit $(psql_pg -At -c 'SHOW synchronous_commit' ywtb_hotline)"
    fi
    seed_s=$(($(date +%s) - t0))

    # 3. the intake next to the raw rate
    local YP
    YP=$(free_port)
    "$YWTB" serve --db "$url" --listen "127.0.0.1:$YP" --threads 2 --web-root "$root/web" \
        --trust-proxy true --access-log off --log-level warn >"$tmp/ywtb-$eng.log" 2>&1 &
    local spid=$!
    started+=("$spid")
    wait_http "http://127.0.0.1:$YP/readyz" 60 || { cat "$tmp/ywtb-$eng.log" >&2; exit 1; }
    local token
    token=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"hotline","password":"Demo@2026"}' \
        "http://127.0.0.1:$YP/api/v1/auth/login" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
    cat >"$tmp/intake.json" <<'JSON'
{"category":"HL-101","content":"人行道地砖松动，老人险些绊倒","address":"徐汇区肇嘉浜路 500 号","lat":31.201,"lng":121.452,"caller_name":"刘先生","caller_phone":"13812345678"}
JSON
    local intake list pages one floor list_bytes
    intake=$(BENCH_BODY="$tmp/intake.json" BENCH_TOKEN="$token" BENCH_XFF=1 wrk_run "intake-$eng" \
        "http://127.0.0.1:$YP/api/v1/hotline/orders" "$here/post_json.lua")

    # 4. Open311 GET requests, next to the HTTP floor
    floor=$(wrk_run "floor-$eng" "http://127.0.0.1:$YP/healthz" "$here/hotline/get_xff.lua")
    list=$(wrk_run "o311-list-$eng" "http://127.0.0.1:$YP/open311/v2/requests.json" "$here/hotline/get_xff.lua")
    pages=$(BENCH_IDS="$tmp/ids-$eng.txt" wrk_run "o311-pages-$eng" "http://127.0.0.1:$YP/open311/v2/requests.json" "$here/hotline/pages_xff.lua")
    one=$(wrk_run "o311-one-$eng" "http://127.0.0.1:$YP/open311/v2/requests/$one_id.json" "$here/hotline/get_xff.lua")
    list_bytes=$(curl -sf "http://127.0.0.1:$YP/open311/v2/requests.json" | wc -c)
    local kept
    kept=$(curl -sf "http://127.0.0.1:$YP/metrics" | sed -n 's/^ywtb_hotline_open311_answers_total{result="\(hit\|miss\)"} \([0-9]*\)$/\1 \2/p' | tr '\n' ' ')
    kill "$spid" 2>/dev/null || true
    wait "$spid" 2>/dev/null || true

    local i_rps i_p99 m p50 p99
    read -r i_rps _ i_p99 <<<"$intake"
    local listening
    read -r _ _ m p50 p99 listening <<<"$(sed -E 's/points=([0-9]+) found=([0-9]+) mean_us=([0-9.]+) p50_us=([0-9.]+) p99_us=([0-9.]+) listening=([01]).*/\1 \2 \3 \4 \5 \6/' <<<"$pip")"
    local how="stamp read + index"
    [ "$listening" = 1 ] && how="index trusted while the grid listener hears no change"
    local target_o="p99 < 20 ms with 1,000,000"
    [ "$orders" -ge 1000000 ] || target_o="not measured at 1,000,000"
    echo "**$eng** ($orders orders; load average $(cut -d' ' -f1-3 /proc/loadavg) after)"
    echo
    echo "| figure | ywtb | yardstick / target |"
    echo "| --- | --- | --- |"
    awk -v r="$i_rps" -v p="$i_p99" -v raw="$raw_rate" -v d="$raw_desc" 'BEGIN {
        printf "| work-order intake, durable (POST /api/v1/hotline/orders) | %.0f /s (p99 %.1f ms) | raw durable commits %.0f /s (%s): **%.2f x**; target >= 0.5 x: %s |\n",
            r, p / 1000, raw, d, r / raw, (r / raw >= 0.5 ? "met" : "not met") }'
    awk -v m="$m" -v p50="$p50" -v p99="$p99" -v n="$POINTS" -v how="$how" 'BEGIN {
        printf "| point in polygon, 10,000-cell grid (%d points, yw_hotline__grid_locate: %s) | mean %.1f us, p50 %.1f us, p99 %.1f us | < 50 us: %s |\n",
            n, how, m, p50, p99, (p50 < 50 ? "met" : "not met") }'
    row_http "GET /healthz (the HTTP floor, same run)" "$floor" "-"
    row_http "Open311 GET requests.json, the default question (first page, $list_bytes bytes, kept answer)" "$list" "$target_o"
    row_http "Open311 GET requests.json?before=ID, 3,000 random cursors (read and written each time)" "$pages" "$target_o"
    row_http "Open311 GET requests/{id}.json" "$one" "-"
    echo
    echo "Open311 answers over the runs (hit: sent from the kept answer, miss: read from the database): $kept."
    echo
    echo "The $orders orders: the demo's, then cloned from them with one SQL statement (${seed_s} s with the raw-rate run; spread over the last 80 days, without steps)."
    echo
}

for eng in $ENGINES; do
    case "$eng" in
    sqlite) measure sqlite "sqlite:$tmp/ywtb.db" "sqlite:$tmp/grid.db" ;;
    pg)
        if pg_start; then
            measure pg "postgres://postgres@127.0.0.1:$PGPORT/ywtb_hotline" \
                "postgres://postgres@127.0.0.1:$PGPORT/ywtb_grid"
        else
            echo "**pg**: not measured (no PostgreSQL cluster could be started)"
        fi
        ;;
    esac
done
echo "Point in polygon: the module's call on one thread, after a warm-up that builds the index; on SQLite every call reads the stamp (one primary-key row on the connection); on PostgreSQL the module listens for grid writes (LISTEN/NOTIFY) and reads the stamp only until it trusts the index; the look-up in memory is the same on both.  Open311: the server with --threads 2, every request from another X-Forwarded-For address."
