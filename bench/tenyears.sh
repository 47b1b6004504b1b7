#!/usr/bin/env bash
# bench/tenyears.sh BUILD - ten years of cases (issue 17), in one run on this
# machine, on SQLite and on PostgreSQL:
#
#   1. the generator: `ywtb seed --scale xuhui --cases N` (ten million by
#      default: ten years of Xuhui, the last year as the one-million scale, the
#      nine before it finished) on a fresh demo database - wall time, ywtb's
#      CPU, cases per second and rows per second (cases, tasks, timeline);
#   2. the four reads of the issue at 64 connections (wrk -t2 -c64): the
#      reviewer's queue (GET /api/v1/tasks), a case page (1,000 case numbers
#      spread over the whole table), a citizen's case list (a generated citizen
#      with cases in every year) and the public status query (1,000 case
#      numbers with their applicants' numbers; each request from another
#      X-Forwarded-For address, trust_proxy on, since the route is limited per
#      address); target p99 < 20 ms;
#   3. one archive pass (`ywtb archive`) over the cases that finished more
#      than BENCH_TENYEARS_ARCHIVE_DAYS days ago (default 3,600: about 1 % of
#      them), in cases per second.
#
# Not part of `make bench` by default (generating ten million cases takes a
# quarter of an hour per engine on a quiet machine): BENCH_TENYEARS=1 adds it,
# or BENCH_ONLY=tenyears runs it alone.  Prints Markdown; asserts nothing.
#
#   BENCH_TENYEARS_CASES    [10000000]  cases on SQLite (0 skips SQLite)
#   BENCH_TENYEARS_PG_CASES [10000000]  cases on PostgreSQL (0 skips it)
#   BENCH_TENYEARS_ARCHIVE_DAYS [3600]  the archive pass's age
#   BENCH_DURATION [10], BENCH_WARMUP [2], PGBIN [/usr/lib/postgresql/15/bin]
#
#   bash bench/tenyears.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
DUR="${BENCH_DURATION:-10}"
WARM="${BENCH_WARMUP:-2}"
N_SQ="${BENCH_TENYEARS_CASES:-10000000}"
N_PG="${BENCH_TENYEARS_PG_CASES:-10000000}"
ARCH_DAYS="${BENCH_TENYEARS_ARCHIVE_DAYS:-3600}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PASSWORD=Demo@2026
SCALE_PASSWORD=Scale@2026

tmp="$(mktemp -d /tmp/ywtb-bench-tenyears.XXXXXX)"
chmod 755 "$tmp"
started=()
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
pg_data=""
cleanup() {
    for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "$pg_data" ] && "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
    [ -n "${BENCH_KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
cp "$BUILD/ywtb" "$tmp/ywtb"
YWTB="$tmp/ywtb"

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_http() {
    for _ in $(seq $(($2 * 10))); do
        curl -sf -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.1
    done
    return 1
}
jfield() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const v=JSON.parse(s)[process.argv[1]];console.log(v===undefined?'':v)})" "$1"; }
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# the public query's wrk script: paths from BENCH_PATHS, each request from
# another address
cat >"$tmp/public.lua" <<'LUA'
local list = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then list[#list + 1] = line end
end
local nthreads = 0
function setup(thread)
    thread:set("tid", nthreads)
    nthreads = nthreads + 1
end
local i, n
function request()
    if i == nil then i = ((tid or 0) * 7919) % #list; n = (tid or 0) * 8388608 end -- threads: other halves of 10/8
    i = i % #list + 1
    n = n + 1
    local addr = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
    return wrk.format("GET", list[i], { ["X-Forwarded-For"] = addr })
end
LUA
echo "dofile(\"$here/report.lua\")" >>"$tmp/public.lua"

# measure TAG URL SCRIPT [TOKEN] [PATHS]: "rps p50_us p99_us errors"
measure() {
    local tag="$1" url="$2" script="$3"
    BENCH_TOKEN="${4:-}" BENCH_PATHS="${5:-}" wrk -t2 -c64 -d"${WARM}s" --timeout 10s -s "$script" "$url" >/dev/null 2>&1 || true
    BENCH_TOKEN="${4:-}" BENCH_PATHS="${5:-}" wrk -t2 -c64 -d"${DUR}s" --timeout 10s -s "$script" "$url" >"$tmp/$tag.wrk" 2>&1
    local line
    line=$(grep '^BENCH ' "$tmp/$tag.wrk") || { cat "$tmp/$tag.wrk" >&2; echo "0 0 0 -"; return 0; }
    sed -E 's/.* rps=([0-9.]+) p50_us=([0-9]+) p99_us=([0-9]+).* err_status=([0-9]+).*/\1 \2 \3 \4/' <<<"$line"
}
row() { # NAME "rps p50 p99 errs"
    read -r r a b e <<<"$2"
    awk -v n="$1" -v r="$r" -v a="$a" -v b="$b" -v e="$e" 'BEGIN {
        printf "| %s | %.0f /s | %.1f ms | %.1f ms | %s | %s |\n", n, r, a / 1000, b / 1000, e,
               (r + 0 > 0 && e == "0" && b / 1000 < 20) ? "met" : "not met" }'
}

# run_engine NAME DBURL QUERYCMD...: generate, measure, archive; prints Markdown
run_engine() {
    local name="$1" url="$2" n="$3"
    shift 3
    local q=("$@")
    "$YWTB" seed --demo --db "$url" >"$tmp/seed-$name.log" 2>&1
    local t0 t1 cpu
    t0=$(date +%s.%N)
    /usr/bin/time -f "%U %S" -o "$tmp/seed-$name.time" \
        "$YWTB" seed --scale xuhui --cases "$n" --db "$url" >>"$tmp/seed-$name.log" 2>&1
    t1=$(date +%s.%N)
    cpu=$(awk '{print $1 + $2}' "$tmp/seed-$name.time")
    local cases tasks events
    cases=$("${q[@]}" "SELECT COUNT(*) FROM cases")
    tasks=$("${q[@]}" "SELECT COUNT(*) FROM tasks")
    events=$("${q[@]}" "SELECT COUNT(*) FROM case_events")
    local step=$((cases / 1000 > 0 ? cases / 1000 : 1))
    "${q[@]}" "SELECT '/api/v1/cases/' || case_no FROM cases WHERE id % $step = 0 LIMIT 1000" >"$tmp/cases-$name.txt"
    "${q[@]}" "SELECT '/api/v1/public/case-status?case_no=' || case_no || '&' || CASE applicant_kind WHEN 'person' THEN 'id_number=' ELSE 'uscc=' END || applicant_ident FROM cases WHERE id % $step = 7 LIMIT 1000" >"$tmp/public-$name.txt"
    local citizen
    # the generated citizen with the most cases (about 30 each over ten years)
    citizen=$("${q[@]}" "SELECT applicant_ident FROM cases WHERE applicant_kind = 'person' AND id % 97 = 0 GROUP BY applicant_ident ORDER BY COUNT(*) DESC, applicant_ident LIMIT 1")
    local port pid
    port=$(free_port)
    "$YWTB" serve --db "$url" --listen "127.0.0.1:$port" --threads 2 --web-root "$root/web" \
        --secret-key-file "$tmp/secret.key" --access-log off --log-level warn --trust-proxy true \
        --cases-archive-seconds 0 >"$tmp/ywtb-$name.log" 2>&1 &
    pid=$!
    started+=("$pid")
    wait_http "http://127.0.0.1:$port/readyz" 120 || { cat "$tmp/ywtb-$name.log" >&2; return 1; }
    local B="http://127.0.0.1:$port"
    login() { curl -sf -H 'Content-Type: application/json' -d "{\"login\":\"$1\",\"password\":\"$2\"}" "$B/api/v1/auth/login" | jfield token; }
    local rtok ctok ptok
    rtok=$(login reviewer "$PASSWORD")
    ctok=$(login clerk "$PASSWORD")
    ptok=$(login "$citizen" "$SCALE_PASSWORD")
    local mine
    mine=$("${q[@]}" "SELECT COUNT(*) FROM cases WHERE applicant_ident = '$citizen'")
    local c0 c1 queue page list pub
    c0=$(cpu_of "$pid")
    queue=$(measure "queue-$name" "$B/api/v1/tasks" "$here/auth.lua" "$rtok")
    page=$(measure "page-$name" "$B/" "$here/paths.lua" "$ctok" "$tmp/cases-$name.txt")
    list=$(measure "list-$name" "$B/api/v1/cases" "$here/auth.lua" "$ptok")
    pub=$(measure "public-$name" "$B/" "$tmp/public.lua" "" "$tmp/public-$name.txt")
    c1=$(cpu_of "$pid")
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local a0 a1 moved
    a0=$(date +%s.%N)
    moved=$("$YWTB" archive --db "$url" --cases-archive-after-days "$ARCH_DAYS" 2>&1 | sed -n 's/^archive: \([0-9]*\) .*/\1/p')
    a1=$(date +%s.%N)
    echo "#### $name: $cases cases, $tasks tasks, $events timeline rows"
    echo
    awk -v w="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v c="$cpu" -v n="$cases" -v r="$((cases + tasks + events))" 'BEGIN {
        printf "Generated in %.0f s (ywtb CPU %.0f s): %.0f cases/s, %.0f rows/s (cases, tasks, timeline).\n", w, c, n / w, r / w }'
    echo
    echo "| read at 64 connections | requests | p50 | p99 | non-2xx | p99 < 20 ms |"
    echo "|---|---|---|---|---|---|"
    row "reviewer's queue \`GET /api/v1/tasks\`" "$queue"
    row "case page \`GET /api/v1/cases/{no}\` (1,000 spread)" "$page"
    row "citizen's list \`GET /api/v1/cases\` ($mine cases)" "$list"
    row "public status query (1,000 spread)" "$pub"
    echo
    awk -v m="${moved:-0}" -v s="$(awk -v a="$a0" -v b="$a1" 'BEGIN { print b - a }')" -v d="$ARCH_DAYS" 'BEGIN {
        printf "Archive pass (`ywtb archive`, finished > %d days ago): %d cases in %.1f s (%.0f cases/s).\n", d, m, s, (s > 0 ? m / s : 0) }'
    echo
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "Machine: $(nproc) cores, load average at the start $LOAD0 (shared: other work runs meanwhile)."
echo
if [ "$N_SQ" -gt 0 ]; then
    run_engine SQLite "sqlite:$tmp/ywtb.db" "$N_SQ" sqlite3 -batch "$tmp/ywtb.db"
fi
if [ "$N_PG" -gt 0 ] && [ -x "$PGBIN/initdb" ]; then
    pg_data="$tmp/pg"
    mkdir -p "$pg_data"
    [ "$(id -u)" = 0 ] && chown postgres "$pg_data" "$tmp"
    "${as_pg[@]}" "$PGBIN/initdb" -D "$pg_data" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >"$tmp/initdb.log" 2>&1
    PGPORT=$(free_port)
    "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -l "$tmp/pg.log" -w -t 60 \
        -o "-p $PGPORT -k $tmp -c listen_addresses=127.0.0.1 -c shared_buffers=512MB -c max_wal_size=4GB" start >/dev/null
    "${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ywtb_tenyears
    run_engine PostgreSQL "postgres://postgres@127.0.0.1:$PGPORT/ywtb_tenyears" "$N_PG" \
        "${as_pg[@]}" "$PGBIN/psql" -X -q -At -h 127.0.0.1 -p "$PGPORT" -U postgres ywtb_tenyears -c
fi
echo "Load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
