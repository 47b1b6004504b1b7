#!/usr/bin/env bash
# bench/run.sh BUILD - ywtb's benchmarks; results go to docs/PERFORMANCE.md.
#
#   bash bench/run.sh build          (what `make bench` runs)
#
# Measures, on this machine and in one run:
#   - HTTP throughput and latency (wrk -t2 -c64 -d10s) of GET /api/v1/openapi.json
#     and GET /healthz on ywtb (SQLite, then PostgreSQL), each against nginx
#     serving the very same bytes as a static file, alternating nginx first;
#   - ywtb's resident memory after the load, and its start-up time on an
#     existing database (spawn until /readyz answers 200);
#   - SQLite's raw durable commit rate (WAL, synchronous=FULL, 1 row per
#     transaction), the bare libsodium Argon2id rate with ywtb's parameters,
#     and login throughput through the API.
#
# Everything runs on 127.0.0.1 with throw-away servers: an nginx and a
# PostgreSQL cluster of its own (port 55999) in a temporary directory, which is
# removed, with every process started here, on exit - also on failure or ^C.
# Benchmarks are not tests: `make test` never runs this and nothing here
# asserts a timing; targets are reported as met or not met.
#
# Environment (defaults in brackets):
#   BENCH_DURATION [10]  seconds of each measured wrk run
#   BENCH_WARMUP   [2]   seconds of the warm-up wrk run before each measurement
#   BENCH_ROUNDS   [3]   rounds of the nginx/ywtb alternation on SQLite
#   BENCH_PG_ROUNDS [1]  rounds on PostgreSQL (0 skips PostgreSQL)
#   BENCH_STARTS   [10]  start-up samples
#   BENCH_OUT      [docs/PERFORMANCE.md]
#   BENCH_RAW      []    if set, a directory that receives the raw logs
#   BENCH_SOURCE   []    what the binary was built from, for the report (default:
#                        this checkout's git HEAD, marked if src/ has changes)
#   PGBIN          [/usr/lib/postgresql/15/bin]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
YWTB="$BUILD/ywtb"
DUR="${BENCH_DURATION:-10}"
WARM="${BENCH_WARMUP:-2}"
ROUNDS="${BENCH_ROUNDS:-3}"
PG_ROUNDS="${BENCH_PG_ROUNDS:-1}"
STARTS="${BENCH_STARTS:-10}"
OUT="${BENCH_OUT:-docs/PERFORMANCE.md}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PGPORT=55999
THREADS=2          # ywtb worker threads; nginx gets as many worker processes
WRK_T=2
WRK_C=64
LOGIN_C=8          # login: enough connections to keep both workers busy
PWHASH_OPS=2       # ywtb's defaults (src/core/config.c)
PWHASH_MEM=19922944

for tool in wrk nginx curl cc; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: '$tool' is missing (bash scripts/deps.sh --bench)" >&2; exit 1; }
done
[ -x "$YWTB" ] || { echo "bench: $YWTB not built (make all)" >&2; exit 1; }

t_start=$(date +%s)
tmp="$(mktemp -d "${TMPDIR:-/tmp}/ywtb-bench.XXXXXX")"
chmod 711 "$tmp"   # nginx workers (nobody) and postgres must reach their subdirectories
started=()         # pids of every long-running process started here
pg_data=""

exec 9>&2   # the script's stderr, for messages from traps that fire inside a redirection
log() { printf '[bench %3ds] %s\n' "$(($(date +%s) - t_start))" "$*" >&9; }

# Stop one process started here: SIGTERM, then SIGKILL after 10 s.
stop_pid() {
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    exec 2>&9
    for pid in "${started[@]}"; do
        stop_pid "$pid"
    done
    if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
        timeout 30 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 ||
            timeout 10 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "${BENCH_RAW:-}" ]; then
        mkdir -p "$BENCH_RAW" && cp -r "$tmp"/*.log "$tmp"/*.tsv "$tmp"/raw "$BENCH_RAW"/ 2>/dev/null || true
    fi
    rm -rf "$tmp"
    [ $rc -ne 0 ] && log "failed (exit $rc); every process stopped, $tmp removed"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/raw" "$tmp/bin"
# kind endpoint db server round rps p50_us p99_us bytes/resp errors other% server-cores
results="$tmp/results.tsv"
: >"$results"

# A TCP port on 127.0.0.1 nobody listens on, below the ephemeral range (a
# port that an outgoing connection uses locally cannot be bound either).
eph_lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$eph_lo" -gt 12000 ] || eph_lo=61000
free_port() {
    local p
    for _ in $(seq 200); do
        p=$((10000 + RANDOM % (eph_lo - 10000)))
        [ "$p" -eq "$PGPORT" ] && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    echo "bench: no free port found" >&2
    return 1
}

# wait_http URL SECONDS: until URL answers 2xx.
wait_http() {
    local url="$1" deadline=$(($(date +%s) + $2))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        curl -sf -o /dev/null --max-time 1 "$url" && return 0
        sleep 0.05
    done
    echo "bench: $url did not answer within $2 s" >&2
    return 1
}

# ---------------------------------------------------------------- helpers in C
log "compiling helpers"
cc -O2 -Wall -Wextra -o "$tmp/bin/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
cc -O2 -Wall -Wextra -pthread -o "$tmp/bin/argon2_rate" "$here/argon2_rate.c" -lsodium
cc -O2 -Wall -Wextra -o "$tmp/bin/startup" "$here/startup.c"
# Run a private copy: a rebuild of $BUILD during the run must not mix binaries.
cp "$YWTB" "$tmp/bin/ywtb"
YWTB="$tmp/bin/ywtb"

# ---------------------------------------------------------------- 1. machine
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
m_nproc=$(nproc)
m_cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
m_mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
m_kernel="$(uname -sr)"
m_gcc=$(cc --version | head -1)
m_mhd="$(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?') (Debian $(pkgver libmicrohttpd12))"
m_sqlite="$(pkg-config --modversion sqlite3 2>/dev/null || echo '?') (Debian $(pkgver libsqlite3-0))"
m_sodium="$(pkg-config --modversion libsodium 2>/dev/null || echo '?') (Debian $(pkgver libsodium23))"
m_pg=$([ -x "$PGBIN/postgres" ] && "$PGBIN/postgres" --version || echo "not installed")
m_nginx=$(nginx -v 2>&1 | sed 's/^nginx version: //')
m_wrk=$( (wrk -v 2>&1 || true) | head -1 | awk '{print $1, $2, $3}')
m_fs=$(df -T "$tmp" | awk 'NR==2 {print $2 " on " $1}')
m_load_start=$(cut -d' ' -f1-3 /proc/loadavg)
m_date=$(date -u '+%Y-%m-%d %H:%M UTC')
if [ -n "${BENCH_SOURCE:-}" ]; then
    m_commit="$BENCH_SOURCE"
else
    m_commit="commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
    m_dirty=$(git -C "$root" status --porcelain -- src migrations docs/openapi.yaml 2>/dev/null | head -1)
    [ -n "$m_dirty" ] && m_commit="$m_commit with uncommitted changes in src/"
fi
m_version=$("$YWTB" --version 2>/dev/null | head -1 || echo '?')
log "machine: $m_nproc x $m_cpu, $m_mem, $m_kernel, load $m_load_start"

# ---------------------------------------------------------------- wrk runs
# CPU accounting, to see other work on the machine during a run: busy clock
# ticks of the whole machine (user nice system irq softirq steal), and of one
# process with its children (nginx's workers).
cpu_busy() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
proc_ticks() {
    local t=0 p
    for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
clk_tck=$(getconf CLK_TCK)

# bench_wrk KIND ENDPOINT DB SERVER ROUND URL SERVER_PID [SCRIPT] [CONNECTIONS]
# A warm-up run, then the measured run; appends one row to $results: the
# figures wrk's Lua `done` printed, and the share of the machine's CPU that
# neither the server nor wrk used while it ran (other processes, steal).
bench_wrk() {
    local kind="$1" ep="$2" db="$3" server="$4" round="$5" url="$6" spid="$7"
    local script="${8:-$here/report.lua}" conns="${9:-$WRK_C}"
    local tag="${kind}-${ep//\//_}-${db}-${server}-${round}"
    timeout $((WARM + 30)) wrk -t"$WRK_T" -c"$conns" -d"${WARM}s" --timeout 10s -s "$script" "$url" \
        >"$tmp/raw/$tag.warmup" 2>&1 || true
    local b0 s0 w0 b1 s1 w1 wt TIMEFORMAT='%R %U %S'
    b0=$(cpu_busy) s0=$(proc_ticks "$spid") w0=$(date +%s%N)
    { time timeout $((DUR + 60)) wrk -t"$WRK_T" -c"$conns" -d"${DUR}s" --timeout 10s -s "$script" "$url" \
        >"$tmp/raw/$tag.wrk" 2>&1; } 2>"$tmp/raw/$tag.time" ||
        { echo "bench: wrk failed on $url" >&2; cat "$tmp/raw/$tag.wrk" >&2; return 1; }
    b1=$(cpu_busy) s1=$(proc_ticks "$spid") w1=$(date +%s%N)
    wt=$(awk -v t="$clk_tck" '{printf "%d", ($2 + $3) * t}' "$tmp/raw/$tag.time")
    local other score
    other=$(awk -v b=$((b1 - b0)) -v s=$((s1 - s0)) -v w="$wt" -v ns=$((w1 - w0)) -v t="$clk_tck" -v n="$m_nproc" \
        'BEGIN {o = (b - s - w) / (ns / 1e9 * t * n) * 100; if (o < 0) o = 0; printf "%.0f", o}')
    score=$(awk -v s=$((s1 - s0)) -v ns=$((w1 - w0)) -v t="$clk_tck" 'BEGIN {printf "%.2f", s / (ns / 1e9 * t)}')
    local line
    line=$(grep '^BENCH ' "$tmp/raw/$tag.wrk" || true)
    [ -n "$line" ] || { echo "bench: no result from wrk on $url" >&2; cat "$tmp/raw/$tag.wrk" >&2; return 1; }
    # shellcheck disable=SC2086
    local $(echo "${line#BENCH }")   # requests= seconds= rps= p50_us= ... as locals
    local errs=$((err_connect + err_read + err_write + err_status + err_timeout))
    local bpr=0
    [ "$requests" -gt 0 ] && bpr=$((bytes / requests))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$ep" "$db" "$server" "$round" \
        "$rps" "$p50_us" "$p99_us" "$bpr" "$errs" "$other" "$score" >>"$results"
    log "$(printf '%-6s %-22s %-6s %-10s r%s: %9s req/s  p50 %6s us  p99 %7s us  errors %s  server %s cores  other %s%%' \
        "$kind" "$ep" "$db" "$server" "$round" "$rps" "$p50_us" "$p99_us" "$errs" "$score" "$other")"
}

# ---------------------------------------------------------------- 2. raw rates
# First, while the disk has none of this run's writes to flush yet.
# run_raw PREFIX CMD...: runs a helper that prints key=value pairs (with
# seconds= and cpu_s=), sets PREFIX_key for each, and PREFIX_other: the share
# of the machine's CPU that the helper did not use while it ran.
run_raw() {
    local prefix="$1" b0 b1 w0 w1 line kv
    shift
    b0=$(cpu_busy) w0=$(date +%s%N)
    line=$("$@")
    b1=$(cpu_busy) w1=$(date +%s%N)
    for kv in $line; do
        case "$kv" in
        [a-z_]*=[0-9.]*) printf -v "${prefix}_${kv%%=*}" '%s' "${kv#*=}" ;;
        esac
    done
    local cpu_var="${prefix}_cpu_s"
    printf -v "${prefix}_other" '%s' "$(awk -v b=$((b1 - b0)) -v c="${!cpu_var:-0}" -v ns=$((w1 - w0)) \
        -v t="$clk_tck" -v n="$m_nproc" 'BEGIN {o = (b / t - c) / (ns / 1e9 * n) * 100; if (o < 0) o = 0; printf "%.0f", o}')"
    log "  $line (other CPU $(eval echo "\$${prefix}_other")%)"
}

# How busy the machine is before we start (nothing of ours runs).
b0=$(cpu_busy); sleep 3; b1=$(cpu_busy)
m_busy_before=$(awk -v b=$((b1 - b0)) -v t="$clk_tck" -v n="$m_nproc" 'BEGIN {printf "%.0f", b / (3 * t * n) * 100}')
log "CPU used by other processes in the 3 s before the run: $m_busy_before%"

log "SQLite durable commit rate (5 s)"
timeout 60 sync -f "$tmp" 2>/dev/null || true
run_raw sq "$tmp/bin/sqlite_commit" "$tmp/commit.db" 5

log "Argon2id bare rate (ops=$PWHASH_OPS mem=$PWHASH_MEM), 1 thread and $m_nproc threads"
"$tmp/bin/argon2_rate" "$PWHASH_OPS" "$PWHASH_MEM" 1 1 >/dev/null   # first touch of memory is slow on VMs
run_raw a1 "$tmp/bin/argon2_rate" "$PWHASH_OPS" "$PWHASH_MEM" 5 1
run_raw an "$tmp/bin/argon2_rate" "$PWHASH_OPS" "$PWHASH_MEM" 5 "$m_nproc"

# ---------------------------------------------------------------- servers
# start_ywtb NAME DBURL ACCESSLOG: starts ywtb serve; sets YW_PID and YW_PORT.
start_ywtb() {
    local name="$1" dburl="$2" alog="$3"
    YW_PORT=$(free_port)
    "$YWTB" serve --db "$dburl" --listen "127.0.0.1:$YW_PORT" --access-log "$alog" \
        --threads "$THREADS" --web-root "$root/web" --log-level warn >"$tmp/ywtb-$name.log" 2>&1 &
    YW_PID=$!
    started+=("$YW_PID")
    wait_http "http://127.0.0.1:$YW_PORT/readyz" 20 || { cat "$tmp/ywtb-$name.log" >&2; return 1; }
}

rss_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# Static copies for nginx: the same bytes, the same Content-Type.
mkdir -p "$tmp/www/api/v1"
start_nginx() {
    NG_PORT=$(free_port)
    local ctype="$1"
    cat >"$tmp/nginx.conf" <<EOF
# generated by bench/run.sh - a throw-away nginx serving static copies
worker_processes $THREADS;
daemon off;
master_process on;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nginx-body;
    proxy_temp_path $tmp/nginx-proxy;
    fastcgi_temp_path $tmp/nginx-fastcgi;
    uwsgi_temp_path $tmp/nginx-uwsgi;
    scgi_temp_path $tmp/nginx-scgi;
    sendfile on;
    open_file_cache max=64;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NG_PORT;
        root $tmp/www;
        location / {
            types { }
            default_type "$ctype";
        }
    }
}
EOF
    nginx -c "$tmp/nginx.conf" -p "$tmp" >"$tmp/nginx.log" 2>&1 &
    NG_PID=$!
    started+=("$NG_PID")
    wait_http "http://127.0.0.1:$NG_PORT/healthz" 10 || { cat "$tmp/nginx-error.log" "$tmp/nginx.log" >&2; return 1; }
}

# ---------------------------------------------------------------- 3. SQLite
log "SQLite: seeding a demo database"
sqlite_url="sqlite:$tmp/sqlite/ywtb.db"
mkdir -p "$tmp/sqlite"
"$YWTB" seed --demo --db "$sqlite_url" >"$tmp/seed-sqlite.log" 2>&1

start_ywtb sqlite-log "$sqlite_url" "$tmp/access-sqlite.log"
S_PID=$YW_PID S_PORT=$YW_PORT
start_ywtb sqlite-nolog "$sqlite_url" off
N_PID=$YW_PID N_PORT=$YW_PORT

# The bytes nginx serves are the bytes ywtb serves.
curl -sf -D "$tmp/openapi.headers" -o "$tmp/www/api/v1/openapi.json" "http://127.0.0.1:$S_PORT/api/v1/openapi.json"
curl -sf -D "$tmp/healthz.headers" -o "$tmp/www/healthz" "http://127.0.0.1:$S_PORT/healthz"
ctype=$(awk -F': ' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}' "$tmp/openapi.headers")
hz_ctype=$(awk -F': ' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}' "$tmp/healthz.headers")
[ "$ctype" = "$hz_ctype" ] || log "note: /healthz is '$hz_ctype', nginx serves both as '$ctype'"
chmod -R a+rX "$tmp/www"
openapi_bytes=$(wc -c <"$tmp/www/api/v1/openapi.json")
healthz_bytes=$(wc -c <"$tmp/www/healthz")
start_nginx "$ctype"
ng_ctype=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$NG_PORT/api/v1/openapi.json" |
    awk -F': ' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}')
cmp -s "$tmp/www/api/v1/openapi.json" <(curl -sf "http://127.0.0.1:$NG_PORT/api/v1/openapi.json") ||
    { echo "bench: nginx does not serve the same bytes" >&2; exit 1; }
log "openapi.json: $openapi_bytes bytes, healthz: $healthz_bytes bytes, Content-Type '$ctype' (nginx: '$ng_ctype')"

for ep in /api/v1/openapi.json /healthz; do
    for r in $(seq "$ROUNDS"); do
        bench_wrk http "$ep" sqlite nginx "$r" "http://127.0.0.1:$NG_PORT$ep" "$NG_PID"
        bench_wrk http "$ep" sqlite ywtb "$r" "http://127.0.0.1:$S_PORT$ep" "$S_PID"
        # The access log's cost, on the main endpoint only (keeps the run short).
        if [ "$ep" = /api/v1/openapi.json ]; then
            bench_wrk http "$ep" sqlite ywtb-nolog "$r" "http://127.0.0.1:$N_PORT$ep" "$N_PID"
        fi
    done
done
sleep 1   # let in-flight requests finish before reading memory
rss_http=$(rss_kib "$S_PID" VmRSS)
hwm_http=$(rss_kib "$S_PID" VmHWM)
rss_nolog=$(rss_kib "$N_PID" VmRSS)
stop_pid "$N_PID"
alog_lines=$(wc -l <"$tmp/access-sqlite.log")
alog_bytes=$(wc -c <"$tmp/access-sqlite.log")

log "SQLite: login throughput"
code=$(curl -s -o "$tmp/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"login":"admin","password":"Demo@2026"}' "http://127.0.0.1:$S_PORT/api/v1/auth/login")
[ "$code" = 200 ] || { echo "bench: demo login answered $code: $(cat "$tmp/login.json")" >&2; exit 1; }
bench_wrk login /api/v1/auth/login sqlite ywtb 1 "http://127.0.0.1:$S_PORT/api/v1/auth/login" "$S_PID" \
    "$here/login.lua" "$LOGIN_C"
sleep 1   # a login still hashing after wrk stopped would count 19 MiB more
rss_login=$(rss_kib "$S_PID" VmRSS)
hwm_login=$(rss_kib "$S_PID" VmHWM)
stop_pid "$S_PID"

# ---------------------------------------------------------------- 4. start-up
# startup_series DBURL NAME: N starts on an existing, migrated database.
startup_series() {
    local dburl="$1" name="$2" i try port out
    : >"$tmp/startup-$name.txt"
    for i in $(seq "$STARTS"); do
        for try in 1 2 3; do   # another process may take the free port first
            port=$(free_port)
            if out=$(timeout 30 "$tmp/bin/startup" "$port" "$tmp/startup-$name.log" -- "$YWTB" serve --db "$dburl" \
                --listen "127.0.0.1:$port" --access-log off --threads "$THREADS" --web-root "$root/web" 2>&1); then
                echo "$out" | sed -n 's/^ready_ms=\([0-9.]*\) cpu_ms=\([0-9.-]*\)$/\1 \2/p' >>"$tmp/startup-$name.txt"
                break
            fi
            log "start-up attempt failed: $out"
            tail -3 "$tmp/startup-$name.log" >&9
            [ "$try" = 3 ] && { echo "bench: ywtb does not start" >&2; return 1; }
        done
    done
    [ "$(wc -l <"$tmp/startup-$name.txt")" -eq "$STARTS" ] || { echo "bench: unexpected start-up output" >&2; return 1; }
    { sort -n -k1,1 "$tmp/startup-$name.txt" | awk '{v[NR] = $1} END {
        med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.1f %.1f %.1f ", med, v[NR], v[1] }'
      sort -n -k2,2 "$tmp/startup-$name.txt" | awk '{v[NR] = $2} END {
        med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.0f\n", med }'; } >"$tmp/startup-$name.sum"
}
log "start-up: $STARTS starts on the SQLite database"
startup_series "$sqlite_url" sqlite
read -r st_med st_max st_min st_cpu <"$tmp/startup-sqlite.sum"
st_self=$(sed -n 's/.*"ready in \([0-9]*\) ms.*/\1/p' "$tmp/startup-sqlite.log" | sort -n |
    awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : "?")}')
log "start-up: median $st_med ms, max $st_max ms, CPU until ready median $st_cpu ms (server's own 'ready in': median $st_self ms)"

# ---------------------------------------------------------------- 5. PostgreSQL
pg_done=0
if [ "$PG_ROUNDS" -gt 0 ] && [ -x "$PGBIN/initdb" ]; then
    log "PostgreSQL: throw-away cluster on 127.0.0.1:$PGPORT"
    if (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null; then
        echo "bench: port $PGPORT is in use; is another benchmark running?" >&2
        exit 1
    fi
    mkdir -p "$tmp/pg"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$tmp/pg"
    chmod 700 "$tmp/pg"
    pg_data="$tmp/pg/data"
    "${as_pg[@]}" "$PGBIN/initdb" -D "$pg_data" -E UTF8 --locale=C.UTF-8 -A trust -U postgres \
        >"$tmp/pg-initdb.log" 2>&1 || { cat "$tmp/pg-initdb.log" >&2; exit 1; }
    timeout 60 "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$pg_data" -l "$tmp/pg/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $tmp/pg -c max_connections=50" start \
        >"$tmp/pg-start.log" 2>&1 || { cat "$tmp/pg-start.log" "$tmp/pg/server.log" >&2; exit 1; }
    "${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ywtb_bench
    pg_url="postgres://postgres@127.0.0.1:$PGPORT/ywtb_bench"
    "$YWTB" seed --demo --db "$pg_url" >"$tmp/seed-pg.log" 2>&1

    start_ywtb pg "$pg_url" "$tmp/access-pg.log"
    P_PID=$YW_PID P_PORT=$YW_PORT
    for ep in /api/v1/openapi.json /healthz; do
        for r in $(seq "$PG_ROUNDS"); do
            bench_wrk http "$ep" pg nginx "$r" "http://127.0.0.1:$NG_PORT$ep" "$NG_PID"
            bench_wrk http "$ep" pg ywtb "$r" "http://127.0.0.1:$P_PORT$ep" "$P_PID"
        done
    done
    sleep 1
    rss_pg=$(rss_kib "$P_PID" VmRSS)
    log "PostgreSQL: login throughput"
    bench_wrk login /api/v1/auth/login pg ywtb 1 "http://127.0.0.1:$P_PORT/api/v1/auth/login" "$P_PID" \
        "$here/login.lua" "$LOGIN_C"
    sleep 1
    rss_pg_login=$(rss_kib "$P_PID" VmRSS)
    hwm_pg_login=$(rss_kib "$P_PID" VmHWM)
    stop_pid "$P_PID"
    log "start-up: $STARTS starts on the PostgreSQL database"
    startup_series "$pg_url" pg
    read -r pst_med pst_max pst_min pst_cpu <"$tmp/startup-pg.sum"
    pg_done=1
fi

t_total=$(($(date +%s) - t_start))
m_load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- 6. report
log "writing $OUT"
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
met() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**not met**"; fi; }
us_ms() { awk -v u="$1" 'BEGIN {printf "%.2f ms", u / 1000}'; }

# mean of column COL over the rows matching kind/endpoint/db/server
mean_col() {
    awk -F'\t' -v c="$1" -v k="$2" -v e="$3" -v d="$4" -v s="$5" \
        '$1 == k && $2 == e && $3 == d && $4 == s {t += $c; n++} END {if (n) printf "%.2f", t / n}' "$results"
}
# lowest and highest per-round ratio ywtb ÷ nginx
ratio_range() {
    awk -F'\t' -v e="$1" -v d="$2" '$1 == "http" && $2 == e && $3 == d {
        if ($4 == "nginx") ng[$5] = $6; else if ($4 == "ywtb" && ng[$5] > 0) {
            r = $6 / ng[$5]; if (lo == "" || r < lo) lo = r; if (hi == "" || r > hi) hi = r } }
        END {if (lo != "") printf "%.2f–%.2f", lo, hi}' "$results"
}
# ratio of mean req/s over the "quiet" rounds: neither run had more than
# QUIET% other CPU; prints "RATIO N" or nothing
QUIET=20
quiet_ratio() {
    awk -F'\t' -v e="$1" -v d="$2" -v q="$QUIET" '$1 == "http" && $2 == e && $3 == d {
        if ($4 == "nginx") { ng[$5] = $6; ngo[$5] = $11 }
        else if ($4 == "ywtb" && ($5 in ng) && ngo[$5] <= q && $11 <= q) { a += $6; b += ng[$5]; n++ } }
        END {if (n) printf "%.2f %d", a / b, n}' "$results"
}

gen="$tmp/generated.md"
{
    echo "## Results"
    echo
    echo "Measured $m_date by \`bench/run.sh\` in $t_total s; $m_version built from $m_commit."
    echo
    echo "### Machine"
    echo
    echo "| | |"
    echo "| --- | --- |"
    echo "| cores (nproc) | $m_nproc |"
    echo "| CPU | $m_cpu |"
    echo "| memory | $m_mem |"
    echo "| kernel | $m_kernel |"
    echo "| compiler | $m_gcc |"
    echo "| libmicrohttpd | $m_mhd |"
    echo "| SQLite | $m_sqlite |"
    echo "| libsodium | $m_sodium |"
    echo "| PostgreSQL | $m_pg |"
    echo "| nginx | $m_nginx |"
    echo "| wrk | $m_wrk |"
    echo "| temp files (SQLite, access log) | $m_fs |"
    echo "| load average at start / end | $m_load_start / $m_load_end |"
    echo "| CPU used by other processes in the 3 s before the run | $m_busy_before% |"
    echo
    echo "### HTTP: ywtb against nginx serving the same bytes"
    echo
    echo "\`wrk -t$WRK_T -c$WRK_C -d${DUR}s\` after a ${WARM} s warm-up, against 127.0.0.1; nginx first, then ywtb,"
    echo "alternating in each round. ywtb runs with $THREADS worker threads, nginx with $THREADS worker processes"
    echo "(\`access_log off\`, \`sendfile on\`, \`open_file_cache\`, \`keepalive_requests 1000000\`). \"ywtb\" writes"
    echo "its JSON access log to a file, as in production; \"ywtb-nolog\" runs with \`--access-log off\` (openapi.json only)."
    echo "Bodies: openapi.json $openapi_bytes bytes, healthz $healthz_bytes bytes (a snapshot), both served as"
    echo "\`$ctype\`. bytes/resp is headers plus body as wrk read them; ywtb adds security headers."
    echo "p50 and p99 are exact percentiles of wrk's latency histogram (Lua \`done\`)."
    echo
    echo "Server, wrk and everything else share the $m_nproc cores. \"server CPU\" is the CPU the server under"
    echo "test used (in cores); \"other CPU\" is the share of the machine used by neither it nor wrk (other"
    echo "processes, hypervisor steal; on PostgreSQL rows also the database server). When other CPU is high"
    echo "the two servers did not get the same machine; req/s per server CPU-second is then the steadier"
    echo "comparison."
    echo
    echo "| endpoint | db | server | round | req/s | p50 | p99 | bytes/resp | errors | server CPU | other CPU | req per server CPU-s | ratio to nginx |"
    echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -F'\t' '$1 == "http" {
        key = $2 SUBSEP $3 SUBSEP $5
        if ($4 == "nginx") ng[key] = $6
        ratio = ($4 == "nginx") ? "1" : (ng[key] > 0 ? sprintf("%.2f", $6 / ng[key]) : "?")
        printf "| %s | %s | %s | %s | %.0f | %.2f ms | %.2f ms | %d | %d | %.2f | %s%%%s | %.0f | %s |\n",
            $2, ($3 == "pg" ? "PostgreSQL" : "SQLite"), $4, $5, $6, $7 / 1000, $8 / 1000, $9, $10, $12, $11,
            ($11 > q ? " (busy)" : ""), ($12 > 0 ? $6 / $12 : 0), ratio
    }' q="$QUIET" "$results"
    echo
    echo "### Targets"
    echo
    http_other=$(awk -F'\t' '$1 == "http" {t += $11; n++} END {if (n) printf "%.0f", t / n}' "$results")
    if [ "${http_other:-0}" -gt 15 ]; then
        echo "**The machine was busy during this run**: other processes used $http_other% of its CPU on average"
        echo "during the HTTP runs (the two servers in a round may not have had the same machine). Treat the"
        echo "req/s ratios below as uncertain and re-run on a quiet machine; the per CPU-second ratios are steadier."
        echo
    fi
    echo "The JSON GET target compares mean req/s over all rounds (per-round ratios in brackets). For"
    echo "context, not as the target: the same ratio over the quiet rounds only (neither server's run had more"
    echo "than $QUIET% other CPU, rows not marked busy above), and the ratio of req per server CPU-second."
    echo
    echo "| target | measured | |"
    echo "| --- | --- | --- |"
    for db in sqlite pg; do
        [ "$db" = pg ] && [ "$pg_done" != 1 ] && continue
        dbn=SQLite; [ "$db" = pg ] && dbn=PostgreSQL
        for ep in /api/v1/openapi.json /healthz; do
            ng=$(mean_col 6 http "$ep" "$db" nginx)
            yw=$(mean_col 6 http "$ep" "$db" ywtb)
            ngc=$(mean_col 12 http "$ep" "$db" nginx)
            ywc=$(mean_col 12 http "$ep" "$db" ywtb)
            ratio=$(awk -v a="$yw" -v b="$ng" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
            eff=$(awk -v a="$yw" -v b="$ng" -v ac="$ywc" -v bc="$ngc" \
                'BEGIN {printf "%.2f", (b > 0 && ac > 0 && bc > 0 ? (a / ac) / (b / bc) : 0)}')
            ok=$(awk -v r="$ratio" 'BEGIN {print (r >= 0.8) ? 1 : 0}')
            qr=$(quiet_ratio "$ep" "$db")
            if [ -n "$qr" ]; then qr="quiet rounds ${qr% *} (${qr#* } of $(
                awk -F'\t' -v e="$ep" -v d="$db" '$1 == "http" && $2 == e && $3 == d && $4 == "nginx"' "$results" | wc -l))"
            else qr="no quiet round"; fi
            verdict=$(met "$ok")
            busy=$(awk -F'\t' -v e="$ep" -v d="$db" -v q="$QUIET" \
                '$1 == "http" && $2 == e && $3 == d && ($4 == "nginx" || $4 == "ywtb") && $11 > q {n++} END {print n + 0}' "$results")
            [ "$ok" = 0 ] && [ "$busy" -gt 0 ] && verdict="$verdict (in busy runs)"
            printf '| GET %s (%s, access log on) ≥ 0.8 × nginx | %.0f ÷ %.0f req/s = **%s** (rounds %s); %s; per CPU-s %s | %s |\n' \
                "$ep" "$dbn" "$yw" "$ng" "$ratio" "$(ratio_range "$ep" "$db")" "$qr" "$eff" "$verdict"
        done
    done
    mem_ok=$(awk -v k="$rss_http" 'BEGIN {print (k < 50 * 1024) ? 1 : 0}')
    echo "| resident memory after the HTTP load (SQLite) < 50 MiB | $(mib "$rss_http") MiB | $(met "$mem_ok") |"
    st_ok=$(awk -v m="$st_max" 'BEGIN {print (m < 200) ? 1 : 0}')
    st_verdict=$(met "$st_ok")
    [ "$st_ok" = 0 ] && awk -v m="$st_med" 'BEGIN {exit !(m < 200)}' && st_verdict="$st_verdict (the slowest start; the median is met)"
    echo "| start-up to ready on an existing SQLite database < 200 ms (every start) | median $st_med ms, max $st_max ms (CPU until ready: median $st_cpu ms) | $st_verdict |"
    echo
    echo "### Memory (VmRSS of ywtb from /proc/PID/status)"
    echo
    echo "| when | VmRSS | peak so far (VmHWM) |"
    echo "| --- | ---: | ---: |"
    echo "| SQLite, after the HTTP runs above (access log on) | $(mib "$rss_http") MiB | $(mib "$hwm_http") MiB |"
    echo "| SQLite, after the HTTP runs above (access log off) | $(mib "$rss_nolog") MiB | |"
    echo "| SQLite, after the login run | $(mib "$rss_login") MiB | $(mib "$hwm_login") MiB |"
    if [ "$pg_done" = 1 ]; then
        echo "| PostgreSQL, after the HTTP runs | $(mib "$rss_pg") MiB | |"
        echo "| PostgreSQL, after the login run | $(mib "$rss_pg_login") MiB | $(mib "$hwm_pg_login") MiB |"
    fi
    echo
    echo "An Argon2id check maps $(mib $((PWHASH_MEM / 1024))) MiB while it runs (libsodium mmaps and unmaps it each time),"
    echo "at most one per worker thread: during concurrent logins the peak is about the resting size plus"
    echo "$THREADS × that (and grows with \`--threads\`, which defaults to the number of cores). The access log"
    echo "of the SQLite run: $alog_lines lines, $(awk -v b="$alog_bytes" 'BEGIN {printf "%.0f", b / 1048576}') MiB."
    echo
    echo "### Start-up"
    echo
    echo "Wall time from spawn of \`ywtb serve\` until \`GET /readyz\` answers 200 (bench/startup.c polls every"
    echo "0.5 ms), $STARTS starts on an already-migrated database, \`--access-log off\`."
    echo
    echo "| database | median | max | min | CPU until ready (median) |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    echo "| SQLite | $st_med ms | $st_max ms | $st_min ms | $st_cpu ms |"
    [ "$pg_done" = 1 ] && echo "| PostgreSQL (127.0.0.1) | $pst_med ms | $pst_max ms | $pst_min ms | $pst_cpu ms |"
    echo
    echo "The server's own \"ready in\" log line (SQLite) has a median of $st_self ms; the rest is exec, dynamic"
    echo "loading and the first probe. \"CPU until ready\" is the user + system time the server had used when"
    echo "it first answered (clock ticks of $((1000 / clk_tck)) ms): it does not grow when other work takes the CPU,"
    echo "wall time does."
    echo
    echo "### SQLite durable commits"
    echo
    echo "bench/sqlite_commit.c, run before any HTTP load: one thread, WAL, \`synchronous=FULL\`,"
    echo "\`BEGIN IMMEDIATE; INSERT one row; COMMIT\` for $sq_seconds s on $m_fs. This is the ceiling for durable"
    echo "writes that each commit alone; batching concurrent writers into one commit (group commit) is the"
    echo "way past it. It waits on the disk, so other processes' disk writes (not visible as CPU) lower it."
    echo
    echo "| commits/s | p50 commit | p99 commit | CPU used | other CPU |"
    echo "| ---: | ---: | ---: | ---: | ---: |"
    echo "| $sq_rate | $(us_ms "$sq_p50_us") | $(us_ms "$sq_p99_us") | $(awk -v c="$sq_cpu_s" -v s="$sq_seconds" 'BEGIN {printf "%.2f cores", c / s}') | $sq_other% |"
    echo
    echo "### Argon2id and login"
    echo
    echo "bench/argon2_rate.c: \`crypto_pwhash_str_verify\` of an Argon2id13 hash with ywtb's defaults"
    echo "(ops=$PWHASH_OPS, mem=$PWHASH_MEM bytes), which is what one login computes. The bare rate per core is"
    echo "the 1-thread run's verifies per CPU-second (what one core does when nothing else runs), so it holds"
    echo "when other work takes CPU away. Login through the API: \`wrk -t$WRK_T -c$LOGIN_C -d${DUR}s\` posting"
    echo "\`{\"login\":\"admin\",\"password\":…}\` (the demo admin of \`ywtb seed --demo\`) to \`POST /api/v1/auth/login\`;"
    echo "each success also commits a session and its audit record."
    echo
    echo "| what | per second | p50 | p99 | errors | CPU used | per CPU-second | other CPU |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "| bare verify, 1 thread | $a1_rate | $a1_ms_each ms each | | | $(awk -v c="$a1_cpu_s" -v s="$a1_seconds" 'BEGIN {printf "%.2f cores", c / s}') | $a1_per_cpu_s | $a1_other% |"
    echo "| bare verify, $an_threads threads | $an_rate | | | | $(awk -v c="$an_cpu_s" -v s="$an_seconds" 'BEGIN {printf "%.2f cores", c / s}') | $an_per_cpu_s | $an_other% |"
    echo "| bare rate per core × $m_nproc cores | $(awk -v a="$a1_per_cpu_s" -v n="$m_nproc" 'BEGIN {printf "%.1f", a * n}') | | | | $m_nproc cores | | |"
    awk -F'\t' '$1 == "login" {
        printf "| logins via the API (%s) | %.1f | %.0f ms | %.0f ms | %d | %.2f cores | %.1f | %s%% |\n",
            ($3 == "pg" ? "PostgreSQL" : "SQLite"), $6, $7 / 1000, $8 / 1000, $10, $12, ($12 > 0 ? $6 / $12 : 0), $11
    }' "$results"
    echo
    awk -F'\t' -v pcpu="$a1_per_cpu_s" -v n="$m_nproc" '$1 == "login" {
        printf "Logins on %s: %.1f/s = %.2f of the bare rate × %d cores; per CPU-second the server spent, %.2f of the bare rate.\n\n",
            ($3 == "pg" ? "PostgreSQL" : "SQLite"), $6, (pcpu > 0 ? $6 / (pcpu * n) : 0), n,
            ($12 > 0 && pcpu > 0 ? ($6 / $12) / pcpu : 0)
    }' "$results"
} >"$gen"

begin='<!-- bench:begin (generated by bench/run.sh; everything above and below is kept) -->'
end='<!-- bench:end -->'
mkdir -p "$(dirname "$OUT")"
if [ -f "$OUT" ] && grep -qF '<!-- bench:begin' "$OUT" && grep -qF "$end" "$OUT"; then
    {
        sed -n '1,/<!-- bench:begin/p' "$OUT" | sed '$d'
        echo "$begin"
        echo
        cat "$gen"
        sed -n "/^$end\$/,\$p" "$OUT"
    } >"$tmp/out.md"
else
    {
        cat "$here/intro.md"
        echo
        echo "$begin"
        echo
        cat "$gen"
        echo "$end"
    } >"$tmp/out.md"
fi
cp "$tmp/out.md" "$OUT"
cp "$results" "$tmp/results-final.tsv"
log "done in $(($(date +%s) - t_start)) s: $OUT"
