#!/usr/bin/env bash
# bench/supervision_pg.sh BUILD - supervision's dashboards on PostgreSQL (issue
# 10), the part of bench/supervision.sh that an engine changes: GET
# /api/v1/supervision/stats for a year of every department (from the answer
# cache, then with it off: every request sums the rollups), 30 days, and the
# board, at $BENCH_CONN connections, next to nginx serving the same bytes.
#
# The cluster is scripts/pgtest.sh's throw-away one (fsync off: the runs read,
# nothing is written while measured).  The database holds `ywtb seed --demo`
# + `ywtb seed --scale $BENCH_SUP_SCALE` (small: 20,000 cases; xuhui:
# 1,000,000; none: no scale seed) and the rollups those cases' events would
# have left over the past year, made as bench/supervision.sh makes them (one
# row per case and metric, summed the way the subscribers' upserts do).  With
# BENCH_SUP_SCALE=none the rollups are those of BENCH_SUP_CASES (default
# 1,000,000) generated cases, the cases table holding the demo's only: the
# dashboard never reads it, and the scale seed writes about 4,000 cases a
# minute on PostgreSQL when the machine is shared (4 hours for a million).
# Prints Markdown; asserts nothing.  Needs wrk, nginx, psql and node.
#
#   bash bench/supervision_pg.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
DUR="${BENCH_DURATION:-10}"
WARM="${BENCH_WARMUP:-2}"
CONN="${BENCH_CONN:-64}"
SCALE="${BENCH_SUP_SCALE:-small}"
PASSWORD=Demo@2026

tmp="$(mktemp -d /tmp/ywtb-bench-suppg.XXXXXX)"
chmod 755 "$tmp"
export YWTB_PGTEST_STATE="$tmp/pgtest.env"
started=()
cleanup() {
    for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    bash "$root/scripts/pgtest.sh" stop >/dev/null 2>&1 || true
    [ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
cp "$BUILD/ywtb" "$tmp/ywtb"
YWTB="$tmp/ywtb"

ADMIN=$(bash "$root/scripts/pgtest.sh" start)
DB="${ADMIN%/postgres}/ywtb_bench"
psql -X -q -d "$ADMIN" -c "CREATE DATABASE ywtb_bench" >/dev/null
pq() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_http() {
    for _ in $(seq $(($2 * 10))); do
        curl -sf -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.1
    done
    return 1
}
jfield() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s)[process.argv[1]];console.log(v===undefined?'':v)})" "$1"; }

t0=$(date +%s)
"$YWTB" seed --demo --db "$DB" >"$tmp/seed.log" 2>&1
if [ "$SCALE" = none ]; then
    CASES="${BENCH_SUP_CASES:-1000000}"
    WHAT="\`ywtb seed --demo\` ($(pq -c "SELECT COUNT(*) FROM cases") cases) and the rollups of **$CASES generated cases** (no scale seed: the dashboard reads only the rollups)"
else
    "$YWTB" seed --scale "$SCALE" --db "$DB" >>"$tmp/seed.log" 2>&1
    CASES=$(pq -c "SELECT COUNT(*) FROM cases")
    WHAT="\`ywtb seed --demo\` + \`ywtb seed --scale $SCALE\` = **$CASES cases**"
fi
TODAY=$(node -e "console.log(Math.floor((Date.now() + 8 * 3600e3) / 86400e3))")
pq <<SQL
CREATE TEMP TABLE it AS
  SELECT (row_number() OVER (ORDER BY code) - 1)::int AS k, code, dept_code FROM items WHERE is_current = 1;
CREATE TEMP TABLE gen AS
  SELECT floor(random() * (SELECT COUNT(*) FROM it))::int AS k, $TODAY - floor(random() * 365)::int AS day
  FROM generate_series(1, $CASES);
CREATE TEMP TABLE m (metric TEXT);
INSERT INTO m VALUES ('received'), ('accepted'), ('approved'), ('tasks_done'), ('tasks_on_time'), ('received_online');
CREATE TEMP TABLE agg AS
  SELECT gen.day AS day, it.dept_code AS dept, it.code AS code, m.metric AS metric, COUNT(*) AS n
  FROM gen JOIN it ON it.k = gen.k CROSS JOIN m GROUP BY gen.day, it.dept_code, it.code, m.metric;
INSERT INTO sup_stats_daily (day, dept, code, metric, n) SELECT day, dept, code, metric, n FROM agg
  ON CONFLICT (day, dept, code, metric) DO UPDATE SET n = sup_stats_daily.n + excluded.n;
INSERT INTO sup_stats_dept (day, dept, metric, n) SELECT day, dept, metric, SUM(n) FROM agg
  GROUP BY day, dept, metric ON CONFLICT (day, dept, metric) DO UPDATE SET n = sup_stats_dept.n + excluded.n;
INSERT INTO sup_stats_day (day, metric, n) SELECT day, metric, SUM(n) FROM agg
  GROUP BY day, metric ON CONFLICT (day, metric) DO UPDATE SET n = sup_stats_day.n + excluded.n;
INSERT INTO sup_stats_dept_month (month, dept, metric, n)
  SELECT CAST(to_char(DATE '1970-01-01' + day, 'YYYYMM') AS INTEGER) AS mo, dept, metric, SUM(n) FROM agg
  GROUP BY mo, dept, metric ON CONFLICT (month, dept, metric) DO UPDATE SET n = sup_stats_dept_month.n + excluded.n;
INSERT INTO sup_stats_item_month (month, metric, dept, code, n)
  SELECT CAST(to_char(DATE '1970-01-01' + day, 'YYYYMM') AS INTEGER) AS mo, metric, dept, code, SUM(n) FROM agg
  GROUP BY mo, metric, dept, code ON CONFLICT (metric, month, dept, code) DO UPDATE SET n = sup_stats_item_month.n + excluded.n;
UPDATE sup_stats_version SET v = v + 1 WHERE id = 1;
SQL
pq -c "VACUUM ANALYZE" >/dev/null
ROWS_ITEM=$(pq -c "SELECT COUNT(*) FROM sup_stats_daily")
ROWS_DAY=$(pq -c "SELECT COUNT(*) FROM sup_stats_day")
SEED_S=$(($(date +%s) - t0))

YP=$(free_port)
serve() { # [ENV=VALUE ...]: the server on $YP, its pid in YPID
    env "$@" "$YWTB" serve --db "$DB" --listen "127.0.0.1:$YP" --threads 2 --web-root "$root/web" \
        --secret-key-file "$tmp/secret.key" --access-log off --log-level warn >>"$tmp/ywtb.log" 2>&1 &
    YPID=$!
    started+=($YPID)
    wait_http "http://127.0.0.1:$YP/readyz" 60 || { cat "$tmp/ywtb.log" >&2; exit 1; }
}
serve
B="http://127.0.0.1:$YP"
SUP=$(curl -sf -H 'Content-Type: application/json' -d "{\"login\":\"supervisor\",\"password\":\"$PASSWORD\"}" "$B/api/v1/auth/login" | jfield token)
[ -n "$SUP" ] || { echo "bench: login failed" >&2; exit 1; }
FROM=$(node -e "console.log(new Date(($TODAY - 364) * 86400e3).toISOString().slice(0, 10))")
TO=$(node -e "console.log(new Date($TODAY * 86400e3).toISOString().slice(0, 10))")
STATS="/api/v1/supervision/stats?from=$FROM&to=$TO"
MONTH="/api/v1/supervision/stats?from=$(node -e "console.log(new Date(($TODAY - 29) * 86400e3).toISOString().slice(0, 10))")&to=$TO"

mkdir -p "$tmp/www"
curl -sf -H "Authorization: Bearer $SUP" "$B$STATS" >"$tmp/www/stats"
chmod 755 "$tmp/www" && chmod 644 "$tmp/www/stats"
RECEIVED=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1])).total.received)" "$tmp/www/stats")
NP=$(free_port)
cat >"$tmp/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nb; proxy_temp_path $tmp/np; fastcgi_temp_path $tmp/nf;
    uwsgi_temp_path $tmp/nu; scgi_temp_path $tmp/ns;
    sendfile on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NP;
        root $tmp/www;
        location / { types { } default_type "application/json; charset=utf-8"; }
    }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp" >"$tmp/nginx.log" 2>&1 &
started+=($!)
wait_http "http://127.0.0.1:$NP/stats" 10 || { cat "$tmp/nginx-error.log" >&2; exit 1; }

measure() { # TAG URL [lua] [conn]: "rps p50_us p99_us"
    local tag="$1" url="$2" script="${3:-$here/auth.lua}" conn="${4:-$CONN}"
    wrk -t2 -c"$conn" -d"${WARM}s" --timeout 10s -s "$script" "$url" >/dev/null 2>&1 || true
    wrk -t2 -c"$conn" -d"${DUR}s" --timeout 10s -s "$script" "$url" >"$tmp/$tag.wrk" 2>&1
    local line errs
    line=$(grep '^BENCH ' "$tmp/$tag.wrk") || { cat "$tmp/$tag.wrk" >&2; return 1; }
    errs=$(sed -E 's/.* err_status=([0-9]+).*/\1/' <<<"$line")
    [ "$errs" = 0 ] || { echo "bench: $tag had $errs non-2xx answers" >&2; return 1; }
    sed -E 's/.* rps=([0-9.]+) p50_us=([0-9]+) p99_us=([0-9]+).*/\1 \2 \3/' <<<"$line"
}
fmt() { read -r r p50 p99 <<<"$1"; awk -v r="$r" -v a="$p50" -v b="$p99" 'BEGIN { if (r + 0 == 0) printf "no answer in the run (connections shed) | - | -"; else printf "%.0f /s | %.1f ms | %.1f ms", r, a / 1000, b / 1000 }'; }
verdict() { awk -v r="$(cut -d' ' -f1 <<<"$1")" -v b="$(cut -d' ' -f3 <<<"$1")" 'BEGIN { print (r + 0 > 0 && b / 1000 < 50 ? "met" : "not met") }'; }
# the server's CPU (and PostgreSQL's, all its processes) per request, one request at a time
PGDIR=$(sed -n 's/^PGT_DIR=//p' "$YWTB_PGTEST_STATE" | head -n1)
PGPM=$(head -n1 "$PGDIR/data/postmaster.pid")
pg_ticks() { # this cluster's processes only (the postmaster and its children)
    local s=0 p
    for p in "$PGPM" $(pgrep -P "$PGPM" 2>/dev/null); do s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
    echo "$s"
}
cpu_ms() { # PATH N [vary-top]
    local c0 c1 p0 p1 t
    c0=$(awk '{print $14 + $15}' "/proc/$YPID/stat"); p0=$(pg_ticks)
    for t in $(seq "$2"); do
        if [ -n "${3:-}" ]; then curl -sf -o /dev/null -H "Authorization: Bearer $SUP" "$B$1&top=$((60 + t))"
        else curl -sf -o /dev/null -H "Authorization: Bearer $SUP" "$B$1"; fi
    done
    c1=$(awk '{print $14 + $15}' "/proc/$YPID/stat"); p1=$(pg_ticks)
    awk -v d="$((c1 - c0))" -v q="$((p1 - p0))" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f ms + PostgreSQL %.1f ms", d * 1000 / hz / n, q * 1000 / hz / n }'
}
settle() { sleep 3; }
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
export BENCH_TOKEN="$SUP"
CPU_YEAR=$(cpu_ms "$STATS" 20)
CPU_MISS=$(cpu_ms "$STATS" 20 vary)
CPU_BOARD=$(cpu_ms /api/v1/supervision/board 20)
M_NGINX=$(measure nginx "http://127.0.0.1:$NP/stats" "$here/report.lua")
M_STATS=$(measure stats "$B$STATS"); settle
M_STATS8=$(measure stats8 "$B$STATS" "$here/auth.lua" 8); settle
M_MONTH=$(measure month "$B$MONTH"); settle
M_BOARD=$(measure board "$B/api/v1/supervision/board"); settle
kill "$YPID"; wait "$YPID" 2>/dev/null || true
serve YWTB_SUPERVISION_STATS_CACHE=0
M_MONTH_NC=$(measure month_nc "$B$MONTH"); settle
M_STATS_NC8=$(measure stats_nc8 "$B$STATS" "$here/auth.lua" 8); settle
M_STATS_NC=$(measure stats_nc "$B$STATS"); sleep 10
M_NGINX2=$(measure nginx2 "http://127.0.0.1:$NP/stats" "$here/report.lua")
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

echo "machine: $(nproc) cores shared with other work, load average $LOAD0 before and $LOAD1 after; PostgreSQL $(psql --version | awk '{print $3}') (scripts/pgtest.sh, fsync off); wrk -t2 -c$CONN -d${DUR}s after a ${WARM}s warm-up"
echo
echo "Database: $WHAT; rollups for those cases over one year: $ROWS_ITEM per-item rows, $ROWS_DAY district day rows; $SEED_S s to build. The year's statistics count $RECEIVED cases received."
echo
echo "| request | connections | CPU per request, one at a time (ywtb + PostgreSQL) | throughput | p50 | p99 | target p99 < 50 ms |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
echo "| nginx, the same bytes as the year's stats ($(wc -c <"$tmp/www/stats") bytes, static file) | $CONN | | $(fmt "$M_NGINX") | yardstick |"
echo "| GET /api/v1/supervision/stats, a year, all departments, top 100 items (answer cache) | $CONN | $CPU_YEAR (a miss: $CPU_MISS) | $(fmt "$M_STATS") | $(verdict "$M_STATS") |"
echo "| the same | 8 | | $(fmt "$M_STATS8") | $(verdict "$M_STATS8") |"
echo "| GET /api/v1/supervision/stats, 30 days (answer cache) | $CONN | | $(fmt "$M_MONTH") | $(verdict "$M_MONTH") |"
echo "| GET /api/v1/supervision/board | $CONN | $CPU_BOARD | $(fmt "$M_BOARD") | $(verdict "$M_BOARD") |"
echo "| stats, 30 days, answer cache off | $CONN | | $(fmt "$M_MONTH_NC") | $(verdict "$M_MONTH_NC") |"
echo "| stats, a year, answer cache off | 8 | | $(fmt "$M_STATS_NC8") | $(verdict "$M_STATS_NC8") |"
echo "| stats, a year, answer cache off | $CONN | | $(fmt "$M_STATS_NC") | $(verdict "$M_STATS_NC") |"
echo "| nginx again, after | $CONN | | $(fmt "$M_NGINX2") | yardstick |"
