#!/usr/bin/env bash
# bench/run.sh BUILD - ywtb's benchmarks; results go to docs/PERFORMANCE.md.
#
#   bash bench/run.sh build          (what `make bench` runs)
#   BENCH_ONLY=catalog,licenses bash bench/run.sh build    (a subset)
#
# Measures, on this machine and in one run, each figure next to its yardstick
# measured in the same run:
#   http      GET /api/v1/openapi.json and GET /healthz (wrk -t2 -c64 -d10s) on
#             ywtb (SQLite, then PostgreSQL), each against nginx serving the very
#             same bytes as a static file, alternating nginx first; ywtb's
#             resident memory after the load; start-up time on an existing
#             database (spawn until /readyz answers 200).
#   catalog   (issue 3) the item guide GET /api/v1/items/SCJ-01-0001 and the
#             authenticated GET /api/v1/me against nginx serving the same bytes;
#             catalog search GET /api/v1/items?q=... (bench/search.lua) at 64
#             connections; the bare libsodium Argon2id rate with ywtb's
#             parameters next to login throughput through the API.
#   cases     (issue 4) durable case submissions (3 uploaded materials) next to
#             the raw durable single-row commit rate of the same engine (SQLite:
#             bench/sqlite_commit.c; PostgreSQL: pgbench, one INSERT per
#             transaction), with the group commit's jobs per commit; full flows
#             (bench/flows/ywtb.mjs) next to bpmn-engine running the same
#             fork/join process in memory (bench/flows/bpmn.mjs); the reviewer's
#             queue and a case page with 1,000,000 cases in the database.
#   <module>  a module's own figures: bench/<module>.sh BUILD (sso, datahub,
#             supervision, services, hotline, payments, selfservice), run after
#             the parts above when the script exists; it measures its figure next
#             to its yardstick in the same run and prints a Markdown section that
#             lands in docs/PERFORMANCE.md with the rest.  Adding a module's
#             figures is adding that script (nothing in this file changes).
#   licenses  (issue 5) e-license verification through the API, through the
#             library call (build/bench/lib_verify) and through `ywtb verify
#             license`, next to OpenSSL's raw SM2 verify rate (`openssl speed`
#             and lib_verify's raw loop); issuing through the API; the bulk
#             import of 30,000 licenses (`ywtb import licenses`).
#
# The machine is shared: before each measurement the harness samples the CPU
# (1 s) and, while other work uses more than BENCH_QUIET % of it, waits (up to
# BENCH_WAIT_MAX s per measurement, BENCH_WAIT_TOTAL s in all); the 1-minute load
# average, the CPU used and stolen before each measurement and the waits are
# reported.  During each run, "other CPU" is the share of the machine used by
# neither the server under test nor the load generator.
#
# Everything runs on 127.0.0.1 with throw-away servers: an nginx and a
# PostgreSQL cluster of its own (port 55999) in a temporary directory, which is
# removed, with every process started here, on exit - also on failure or ^C.
# The binary runs from a private copy.  Benchmarks are not tests: `make test`
# never runs this and nothing here asserts a timing; targets are reported as met
# or not met.
#
# Environment (defaults in brackets):
#   BENCH_ONLY     [http,catalog,cases,licenses + every module with a bench/<module>.sh]  the parts to run (comma list)
#   BENCH_DURATION [10]  seconds of each measured wrk run
#   BENCH_WARMUP   [2]   seconds of the warm-up wrk run before each measurement
#   BENCH_ROUNDS   [3]   rounds of the nginx/ywtb alternation on SQLite (http)
#   BENCH_CATALOG_ROUNDS [2]  rounds of the nginx/ywtb alternation for the item
#                        guide and /api/v1/me (catalog)
#   BENCH_PG_ROUNDS [1]  rounds on PostgreSQL (0 skips PostgreSQL altogether)
#   BENCH_STARTS   [10]  start-up samples
#   BENCH_FLOW_CONC [8 16 32]  concurrencies tried for full flows; the best counts
#   BENCH_FLOW_SECONDS [10]    seconds of each flow run (ywtb and bpmn-engine)
#   BENCH_SCALE_CASES [1000000]  cases generated for the queue and case page on
#                        SQLite (0 skips the scale part)
#   BENCH_TENYEARS [0]   1: also bench/tenyears.sh (issue 17): 10,000,000 cases on
#                        each engine, the queue, a case page, a citizen's list and
#                        the public status query at 64 connections (see that file)
#   BENCH_PG_SCALE_CASES [200000]  the same on PostgreSQL, where generating takes
#                        about 5 minutes per million here (0 skips)
#   BENCH_IMPORT_ROWS [30000]  licenses in the bulk import
#   BENCH_QUIET    [15]  % of the machine's CPU that other work may use before a
#                        measurement starts
#   BENCH_WAIT_MAX [180] seconds to wait for a quiet machine before one measurement
#   BENCH_WAIT_TOTAL [600] seconds of waiting in the whole run; then measure anyway
#   BENCH_REPEAT   [1]   run the chosen parts N times, each run into a report of its
#                        own, and write the median of every target's figure with its
#                        spread and the verdict of the median run (bench/repeat.mjs),
#                        followed by the N reports; targets are judged on the median
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
MODULE_PARTS="sso datahub supervision services hotline payments selfservice audit tenyears"
default_only=http,catalog,cases,licenses
for m in $MODULE_PARTS; do
    # ten million cases per engine take long: only with BENCH_TENYEARS=1 (or BENCH_ONLY=tenyears)
    [ "$m" = tenyears ] && [ "${BENCH_TENYEARS:-0}" != 1 ] && continue
    [ -f "$here/$m.sh" ] && default_only="$default_only,$m"
done
ONLY="${BENCH_ONLY:-$default_only}"
DUR="${BENCH_DURATION:-10}"
WARM="${BENCH_WARMUP:-2}"
ROUNDS="${BENCH_ROUNDS:-3}"
CAT_ROUNDS="${BENCH_CATALOG_ROUNDS:-2}"
PG_ROUNDS="${BENCH_PG_ROUNDS:-1}"
STARTS="${BENCH_STARTS:-10}"
FLOW_CONC="${BENCH_FLOW_CONC:-8 16 32}"
FLOW_S="${BENCH_FLOW_SECONDS:-10}"
SCALE_CASES="${BENCH_SCALE_CASES:-1000000}"
PG_SCALE_CASES="${BENCH_PG_SCALE_CASES:-200000}"
IMPORT_ROWS="${BENCH_IMPORT_ROWS:-30000}"
QUIET_MAX="${BENCH_QUIET:-15}"
WAIT_MAX="${BENCH_WAIT_MAX:-180}"
WAIT_TOTAL="${BENCH_WAIT_TOTAL:-600}"
OUT="${BENCH_OUT:-docs/PERFORMANCE.md}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
PGPORT=55999
THREADS=2          # ywtb worker threads; nginx gets as many worker processes
WRK_T=2
WRK_C=64
LOGIN_C=8          # login: enough connections to keep both workers busy
SCALE_C_LOW=8      # queue and case page: a department's reviewers, then the full 64
PWHASH_OPS=2       # ywtb's defaults (src/core/config.c)
PWHASH_MEM=19922944
PASSWORD=Demo@2026
CITIZEN=310104199003072013          # the demo accounts of `ywtb seed --demo`
COMPANY=91310104MA1FL8XQ10
COMPANY_NAME=上海徐汇示范科技有限公司
GUIDE_ITEM=SCJ-01-0001               # 企业设立登记: the item guide measured
SUBMIT_ITEM=SCJ-20-0006              # 消费者投诉举报受理: a person item, 3 required materials

want() { case ",$ONLY," in *",$1,"*) return 0 ;; esac; return 1; }
for part in ${ONLY//,/ }; do
    [ -f "$here/$part.sh" ] && case " $MODULE_PARTS " in *" $part "*) continue ;; esac
    case "$part" in http | catalog | cases | licenses) ;; *) echo "bench: unknown part '$part' in BENCH_ONLY" >&2; exit 2 ;; esac
done

for tool in wrk nginx curl cc make node openssl sqlite3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: '$tool' is missing (bash scripts/deps.sh --bench)" >&2; exit 1; }
done
[ -x "$YWTB" ] || { echo "bench: $YWTB not built (make all)" >&2; exit 1; }

# write_out GENERATED: put a generated section between the markers of $OUT
# (everything above and below them is kept), or make $OUT with them.
write_out() {
    local gen_file="$1" begin end staged
    begin='<!-- bench:begin (generated by bench/run.sh; everything above and below is kept) -->'
    end='<!-- bench:end -->'
    staged="$(mktemp "${TMPDIR:-/tmp}/ywtb-bench-out.XXXXXX")"
    mkdir -p "$(dirname "$OUT")"
    if [ -f "$OUT" ] && grep -qF '<!-- bench:begin' "$OUT" && grep -qF "$end" "$OUT"; then
        {
            sed -n '1,/<!-- bench:begin/p' "$OUT" | sed '$d'
            echo "$begin"
            echo
            cat "$gen_file"
            sed -n "/^$end\$/,\$p" "$OUT"
        } >"$staged"
    else
        {
            cat "$here/intro.md"
            echo
            echo "$begin"
            echo
            cat "$gen_file"
            echo "$end"
        } >"$staged"
    fi
    cp "$staged" "$OUT"
    rm -f "$staged"
}

REPEAT="${BENCH_REPEAT:-1}"
case "$REPEAT" in '' | *[!0-9]*) echo "bench: BENCH_REPEAT must be a number" >&2; exit 2 ;; esac
if [ "$REPEAT" -gt 1 ]; then
    rdir="$(mktemp -d "${TMPDIR:-/tmp}/ywtb-bench-repeat.XXXXXX")"
    trap 'rm -rf "$rdir"' EXIT
    for i in $(seq 1 "$REPEAT"); do
        printf '[bench] run %d of %d\n' "$i" "$REPEAT" >&2
        BENCH_REPEAT=1 BENCH_OUT="$rdir/run$i.md" bash "$0" "$BUILD" || { echo "bench: run $i of $REPEAT failed" >&2; exit 1; }
    done
    runs_md=()
    for i in $(seq 1 "$REPEAT"); do runs_md+=("$rdir/run$i.md"); done
    node "$here/repeat.mjs" "${runs_md[@]}" >"$rdir/gen.md"
    write_out "$rdir/gen.md"
    printf '[bench] %d runs: %s\n' "$REPEAT" "$OUT" >&2
    exit 0
fi

t_start=$(date +%s)
tmp="$(mktemp -d "${TMPDIR:-/tmp}/ywtb-bench.XXXXXX")"
chmod 711 "$tmp"   # nginx workers (nobody) and postgres must reach their subdirectories
started=()         # pids of every long-running process started here
pg_data=""

exec 9>&2   # the script's stderr, for messages from traps that fire inside a redirection
log() { printf '[bench %4ds] %s\n' "$(($(date +%s) - t_start))" "$*" >&9; }

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
        [ -f "$tmp/pg/server.log" ] && cp "$tmp/pg/server.log" "$BENCH_RAW/pg-server.log" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    [ $rc -ne 0 ] && log "failed (exit $rc); every process stopped, $tmp removed"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/raw" "$tmp/bin"
# wrk runs: kind endpoint db server round rps p50_us p99_us bytes/resp errors other% server-cores
#           conns waited_s load1_before busy%_before db-cores (PostgreSQL's processes, when DB_PID is set)
results="$tmp/results.tsv"
# other measurements: key wall_s cmd-cores server-cores other% waited_s quiet(1/0)
runs="$tmp/runs.tsv"
# the machine before each measurement: label load1 busy% steal% waited_s quiet(1/0)
conditions="$tmp/conditions.tsv"
: >"$results"
: >"$runs"
: >"$conditions"

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

# jfield NAME < JSON: the first string value of "NAME" (enough for tokens, ids
# and case numbers, which never contain quotes or backslashes).
jfield() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -1; }

# login_token PORT LOGIN: a session token of a demo account.
login_token() {
    local tok
    tok=$(curl -sf -H 'Content-Type: application/json' -d "{\"login\":\"$2\",\"password\":\"$PASSWORD\"}" \
        "http://127.0.0.1:$1/api/v1/auth/login" | jfield token)
    [ -n "$tok" ] || { echo "bench: login of '$2' failed" >&2; return 1; }
    echo "$tok"
}

# metric PORT NAME: a counter from /metrics.
metric() { curl -sf "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n && v == "" {v = $2} END {print v}'; }   # reads it all: an early exit breaks curl's pipe (exit 23)

# ---------------------------------------------------------------- helpers in C
log "compiling helpers"
cc -O2 -Wall -Wextra -o "$tmp/bin/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
cc -O2 -Wall -Wextra -pthread -o "$tmp/bin/argon2_rate" "$here/argon2_rate.c" -lsodium
cc -O2 -Wall -Wextra -o "$tmp/bin/startup" "$here/startup.c"
if want licenses; then
    # Programs that link ywtb's library are built by the Makefile (bench/lib_*.c).
    build_rel="${BUILD#"$root"/}"
    make -s -C "$root" BUILD="$build_rel" "$build_rel/bench/lib_verify" >"$tmp/make-lib.log" 2>&1 ||
        { cat "$tmp/make-lib.log" >&2; exit 1; }
    cp "$BUILD/bench/lib_verify" "$tmp/bin/lib_verify"
fi
# Run a private copy: a rebuild of $BUILD during the run must not mix binaries.
cp "$YWTB" "$tmp/bin/ywtb"
YWTB="$tmp/bin/ywtb"
SECRET_FILE="$tmp/ywtb.key"   # every server and CLI call of this run shares it

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
m_openssl="$(openssl version | awk '{print $2}') (Debian $(pkgver libssl3))"
m_pg=$([ -x "$PGBIN/postgres" ] && "$PGBIN/postgres" --version || echo "not installed")
m_nginx=$(nginx -v 2>&1 | sed 's/^nginx version: //')
m_wrk=$( (wrk -v 2>&1 || true) | head -1 | awk '{print $1, $2, $3}')
m_node="$(node --version)"
m_bpmn=$(node -p 'require("./node_modules/bpmn-engine/package.json").version' 2>/dev/null || echo '?')
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
log "machine: $m_nproc x $m_cpu, $m_mem, $m_kernel, load $m_load_start; parts: $ONLY"

# ---------------------------------------------------------------- CPU accounting
# Busy clock ticks of the whole machine (user nice system irq softirq steal),
# and of one process with its children (nginx's workers, PostgreSQL's backends).
cpu_busy() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9; exit}' /proc/stat; }
proc_ticks() {
    local t=0 p
    for p in "$1" $(pgrep -P "$1" 2>/dev/null); do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
clk_tck=$(getconf CLK_TCK)

# machine_sample SECONDS: "busy% steal%" of the whole machine over SECONDS.
machine_sample() {
    local a b
    a=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit}' /proc/stat)
    sleep "$1"
    b=$(awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit}' /proc/stat)
    echo "$a $b" | awk '{t = $6 - $3; if (t <= 0) t = 1; printf "%.0f %.1f\n", ($4 - $1) / t * 100, ($5 - $2) / t * 100}'
}

# wait_quiet LABEL: before a measurement, while other work uses more than
# QUIET_MAX % of the machine (nothing of ours is running then; the servers
# idle), wait - up to WAIT_MAX s, and WAIT_TOTAL s over the whole run.
# Records the 1-minute load average, busy and stolen CPU, and the wait; sets
# WQ_WAITED, WQ_LOAD, WQ_BUSY.
waited_total=0
wait_quiet() {
    local label="$1" t0 busy steal load quiet=1 said=0 waited
    t0=$(date +%s)
    while :; do
        read -r busy steal < <(machine_sample 1)
        load=$(cut -d' ' -f1 /proc/loadavg)
        [ "$busy" -le "$QUIET_MAX" ] && break
        waited=$(($(date +%s) - t0))
        if [ "$waited" -ge "$WAIT_MAX" ] || [ $((waited_total + waited)) -ge "$WAIT_TOTAL" ]; then
            quiet=0
            log "  still busy before $label after ${waited} s (${busy}% CPU, steal ${steal}%, load $load): measuring anyway"
            break
        fi
        if [ "$said" = 0 ]; then
            log "  machine busy before $label: ${busy}% CPU used by other work (steal ${steal}%), load $load; waiting"
            said=1
        fi
        sleep 4
    done
    waited=$(($(date +%s) - t0 - 1))
    [ "$waited" -lt 0 ] && waited=0
    waited_total=$((waited_total + waited))
    [ "$said" = 1 ] && [ "$quiet" = 1 ] && log "  quiet after ${waited} s (${busy}% CPU, load $load)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$load" "$busy" "$steal" "$waited" "$quiet" >>"$conditions"
    WQ_WAITED=$waited WQ_LOAD=$load WQ_BUSY=$busy
}

# bench_wrk KIND ENDPOINT DB SERVER ROUND URL SERVER_PID [SCRIPT] [CONNECTIONS]
# Waits for a quiet machine, a warm-up run, then the measured run; appends one
# row to $results: the figures wrk's Lua `done` printed, and the share of the
# machine's CPU that neither the server nor wrk used while it ran (other
# processes, steal).  The Lua scripts read BENCH_TOKEN, BENCH_BODY, BENCH_PATHS
# from the environment.  BW_BEFORE / BW_AFTER name functions called right
# before / after the measured run (e.g. to read /metrics).
bench_wrk() {
    local kind="$1" ep="$2" db="$3" server="$4" round="$5" url="$6" spid="$7"
    local script="${8:-$here/report.lua}" conns="${9:-$WRK_C}"
    local tag="${kind}-${ep//[\/?&=]/_}-${db}-${server}-${round}-c${conns}"
    wait_quiet "$kind $ep $db $server r$round c$conns"
    timeout $((WARM + 30)) wrk -t"$WRK_T" -c"$conns" -d"${WARM}s" --timeout 10s -s "$script" "$url" \
        >"$tmp/raw/$tag.warmup" 2>&1 || true
    [ -n "${BW_BEFORE:-}" ] && "$BW_BEFORE"
    local b0 s0 w0 b1 s1 w1 wt d0=0 d1=0 TIMEFORMAT='%R %U %S'
    [ -n "${DB_PID:-}" ] && d0=$(proc_ticks "$DB_PID")
    b0=$(cpu_busy) s0=$(proc_ticks "$spid") w0=$(date +%s%N)
    { time timeout $((DUR + 60)) wrk -t"$WRK_T" -c"$conns" -d"${DUR}s" --timeout 10s -s "$script" "$url" \
        >"$tmp/raw/$tag.wrk" 2>&1; } 2>"$tmp/raw/$tag.time" ||
        { echo "bench: wrk failed on $url" >&2; cat "$tmp/raw/$tag.wrk" >&2; return 1; }
    b1=$(cpu_busy) s1=$(proc_ticks "$spid") w1=$(date +%s%N)
    [ -n "${DB_PID:-}" ] && d1=$(proc_ticks "$DB_PID")
    [ -n "${BW_AFTER:-}" ] && "$BW_AFTER"
    wt=$(awk -v t="$clk_tck" '{printf "%d", ($2 + $3) * t}' "$tmp/raw/$tag.time")
    local other score dbc
    other=$(awk -v b=$((b1 - b0)) -v s=$((s1 - s0 + d1 - d0)) -v w="$wt" -v ns=$((w1 - w0)) -v t="$clk_tck" -v n="$m_nproc" \
        'BEGIN {o = (b - s - w) / (ns / 1e9 * t * n) * 100; if (o < 0) o = 0; printf "%.0f", o}')
    score=$(awk -v s=$((s1 - s0)) -v ns=$((w1 - w0)) -v t="$clk_tck" 'BEGIN {printf "%.2f", s / (ns / 1e9 * t)}')
    dbc=$(awk -v s=$((d1 - d0)) -v ns=$((w1 - w0)) -v t="$clk_tck" 'BEGIN {printf "%.2f", s / (ns / 1e9 * t)}')
    local line
    line=$(grep '^BENCH ' "$tmp/raw/$tag.wrk" || true)
    [ -n "$line" ] || { echo "bench: no result from wrk on $url" >&2; cat "$tmp/raw/$tag.wrk" >&2; return 1; }
    # shellcheck disable=SC2086
    local $(echo "${line#BENCH }")   # requests= seconds= rps= p50_us= ... as locals
    local errs=$((err_connect + err_read + err_write + err_status + err_timeout))
    local bpr=0
    [ "$requests" -gt 0 ] && bpr=$((bytes / requests))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$ep" "$db" "$server" "$round" \
        "$rps" "$p50_us" "$p99_us" "$bpr" "$errs" "$other" "$score" "$conns" "$WQ_WAITED" "$WQ_LOAD" "$WQ_BUSY" "$dbc" >>"$results"
    log "$(printf '%-8s %-22s %-6s %-10s r%s c%-2s: %9s req/s  p50 %6s us  p99 %7s us  errors %s  server %s cores (db %s)  other %s%%' \
        "$kind" "$ep" "$db" "$server" "$round" "$conns" "$rps" "$p50_us" "$p99_us" "$errs" "$score" "$dbc" "$other")"
    [ "$errs" -gt 0 ] && log "  $errs errors (status $err_status, connect $err_connect, read $err_read, timeout $err_timeout)"
    return 0
}

# run_raw PREFIX CMD...: waits for a quiet machine, runs a helper that prints
# key=value pairs (with seconds= and cpu_s=), sets PREFIX_key for each, and
# PREFIX_other: the share of the machine's CPU that the helper did not use.
run_raw() {
    local prefix="$1" b0 b1 w0 w1 line kv
    shift
    wait_quiet "$prefix"
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

# measure_cmd KEY SERVER_PID CMD...: waits for a quiet machine, runs CMD
# (stdout to $tmp/raw/KEY.out) and appends to $runs: wall seconds, the cores
# CMD and its children used, the cores SERVER_PID used (when given), and the
# share of the machine neither used.  Fails when CMD fails.
measure_cmd() {
    local key="$1" spid="$2" b0 b1 s0=0 s1=0 w0 w1 rc=0 TIMEFORMAT='%R %U %S'
    shift 2
    wait_quiet "$key"
    b0=$(cpu_busy) w0=$(date +%s%N)
    [ -n "$spid" ] && s0=$(proc_ticks "$spid")
    { time "$@" >"$tmp/raw/$key.out" 2>"$tmp/raw/$key.err"; } 2>"$tmp/raw/$key.time" || rc=$?
    b1=$(cpu_busy) w1=$(date +%s%N)
    [ -n "$spid" ] && s1=$(proc_ticks "$spid")
    if [ "$rc" != 0 ]; then
        echo "bench: '$*' failed (exit $rc):" >&2
        tail -n 5 "$tmp/raw/$key.err" "$tmp/raw/$key.out" >&2
        return 1
    fi
    local wall cmd
    read -r wall cmd < <(awk '{printf "%s %d\n", $1, ($2 + $3) * t}' t="$clk_tck" "$tmp/raw/$key.time")
    awk -v k="$key" -v b=$((b1 - b0)) -v c="$cmd" -v s=$((s1 - s0)) -v ns=$((w1 - w0)) -v t="$clk_tck" -v n="$m_nproc" \
        -v sp="$spid" -v wq="$WQ_WAITED" -v ql="$WQ_BUSY" 'BEGIN {
        w = ns / 1e9; o = (b - c - s) / (w * t * n) * 100; if (o < 0) o = 0
        printf "%s\t%.3f\t%.2f\t%s\t%.0f\t%s\t%s\n", k, w, c / (w * t), (sp == "" ? "" : sprintf("%.2f", s / (w * t))), o, wq, ql
    }' >>"$runs"
    log "  $key: $(head -c 300 "$tmp/raw/$key.out" | tr '\n' ' ')($(tail -1 "$runs" | awk -F'\t' '{printf "%.1f s, %s cores, server %s, other %s%%", $2, $3, ($4 == "" ? "-" : $4), $5}'))"
}
# rv KEY COLUMN: a value from $runs (2 wall_s, 3 cmd cores, 4 server cores, 5 other%).
rv() { awk -F'\t' -v k="$1" -v c="$2" '$1 == k {v = $c} END {print v}' "$runs"; }

# ---------------------------------------------------------------- 2. raw rates
# First, while the disk has none of this run's writes to flush yet.
b0=$(cpu_busy); sleep 3; b1=$(cpu_busy)
m_busy_before=$(awk -v b=$((b1 - b0)) -v t="$clk_tck" -v n="$m_nproc" 'BEGIN {printf "%.0f", b / (3 * t * n) * 100}')
log "CPU used by other processes in the 3 s before the run: $m_busy_before%"

if want http || want cases; then
    log "SQLite durable commit rate (5 s)"
    timeout 60 sync -f "$tmp" 2>/dev/null || true
    run_raw sq "$tmp/bin/sqlite_commit" "$tmp/commit.db" 5
fi
if want catalog; then
    log "Argon2id bare rate (ops=$PWHASH_OPS mem=$PWHASH_MEM), 1 thread and $m_nproc threads"
    "$tmp/bin/argon2_rate" "$PWHASH_OPS" "$PWHASH_MEM" 1 1 >/dev/null   # first touch of memory is slow on VMs
    run_raw a1 "$tmp/bin/argon2_rate" "$PWHASH_OPS" "$PWHASH_MEM" 5 1
    run_raw an "$tmp/bin/argon2_rate" "$PWHASH_OPS" "$PWHASH_MEM" 5 "$m_nproc"
fi

# ---------------------------------------------------------------- servers
# start_ywtb NAME DBURL ACCESSLOG [OPTION...]: starts ywtb serve; sets YW_PID and YW_PORT.
start_ywtb() {
    local name="$1" dburl="$2" alog="$3"
    shift 3
    YW_PORT=$(free_port)
    "$YWTB" serve --db "$dburl" --listen "127.0.0.1:$YW_PORT" --access-log "$alog" \
        --threads "$THREADS" --web-root "$root/web" --secret-key-file "$SECRET_FILE" --log-level warn "$@" \
        >"$tmp/ywtb-$name.log" 2>&1 &
    YW_PID=$!
    started+=("$YW_PID")
    wait_http "http://127.0.0.1:$YW_PORT/readyz" 30 || { cat "$tmp/ywtb-$name.log" >&2; return 1; }
}

rss_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# Static copies for nginx: the same bytes, the same Content-Type.
mkdir -p "$tmp/www/api/v1/items"
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
ctype_of() { awk -F': ' 'tolower($1) == "content-type" {sub(/\r$/, "", $2); print $2}' "$1"; }
# same_bytes PATH: nginx serves exactly the copy under $tmp/www.
same_bytes() {
    cmp -s "$tmp/www$1" <(curl -sf "http://127.0.0.1:$NG_PORT$1") ||
        { echo "bench: nginx does not serve the same bytes for $1" >&2; exit 1; }
}

# ---------------------------------------------------------------- 3. SQLite
log "SQLite: seeding a demo database"
sqlite_url="sqlite:$tmp/sqlite/ywtb.db"
mkdir -p "$tmp/sqlite"
"$YWTB" seed --demo --db "$sqlite_url" >"$tmp/seed-sqlite.log" 2>&1

start_ywtb sqlite-log "$sqlite_url" "$tmp/access-sqlite.log"
S_PID=$YW_PID S_PORT=$YW_PORT
SB="http://127.0.0.1:$S_PORT"
# idle memory, in every run (issue 19): the server started, every module's
# background jobs running, no request served yet
sleep 1
rss_idle=$(rss_kib "$S_PID" VmRSS)

# The bytes nginx serves are the bytes ywtb serves.
curl -sf -D "$tmp/openapi.headers" -o "$tmp/www/api/v1/openapi.json" "$SB/api/v1/openapi.json"
curl -sf -D "$tmp/healthz.headers" -o "$tmp/www/healthz" "$SB/healthz"
ctype=$(ctype_of "$tmp/openapi.headers")
hz_ctype=$(ctype_of "$tmp/healthz.headers")
[ "$ctype" = "$hz_ctype" ] || log "note: /healthz is '$hz_ctype', nginx serves both as '$ctype'"
openapi_bytes=$(wc -c <"$tmp/www/api/v1/openapi.json")
healthz_bytes=$(wc -c <"$tmp/www/healthz")
if want catalog; then
    guide_path="/api/v1/items/$GUIDE_ITEM"
    curl -sf -D "$tmp/guide.headers" -o "$tmp/www$guide_path" "$SB$guide_path"
    CIT_TOK=$(login_token "$S_PORT" "$CITIZEN")
    curl -sf -D "$tmp/me.headers" -H "Authorization: Bearer $CIT_TOK" -o "$tmp/www/api/v1/me" "$SB/api/v1/me"
    for f in guide me; do
        [ "$(ctype_of "$tmp/$f.headers")" = "$ctype" ] || log "note: $f is '$(ctype_of "$tmp/$f.headers")', nginx serves it as '$ctype'"
    done
    guide_bytes=$(wc -c <"$tmp/www$guide_path")
    me_bytes=$(wc -c <"$tmp/www/api/v1/me")
    guide_cache=$(awk -F': ' 'tolower($1) == "cache-control" {sub(/\r$/, "", $2); print $2}' "$tmp/guide.headers")
fi
chmod -R a+rX "$tmp/www"
start_nginx "$ctype"
same_bytes /api/v1/openapi.json
same_bytes /healthz
if want catalog; then
    same_bytes "$guide_path"
    same_bytes /api/v1/me
fi
ng_ctype=$(curl -sf -D - -o /dev/null "http://127.0.0.1:$NG_PORT/api/v1/openapi.json" | ctype_of /dev/stdin)
log "openapi.json: $openapi_bytes bytes, healthz: $healthz_bytes bytes, Content-Type '$ctype' (nginx: '$ng_ctype')"

# ---- 3a. http
if want http; then
    start_ywtb sqlite-nolog "$sqlite_url" off
    N_PID=$YW_PID N_PORT=$YW_PORT
    for ep in /api/v1/openapi.json /healthz; do
        for r in $(seq "$ROUNDS"); do
            bench_wrk http "$ep" sqlite nginx "$r" "http://127.0.0.1:$NG_PORT$ep" "$NG_PID"
            bench_wrk http "$ep" sqlite ywtb "$r" "$SB$ep" "$S_PID"
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
fi

# ---- 3b. catalog and identity (issue 3)
if want catalog; then
    log "SQLite: item guide and /api/v1/me against nginx, catalog search"
    for r in $(seq "$CAT_ROUNDS"); do
        bench_wrk guide "$guide_path" sqlite nginx "$r" "http://127.0.0.1:$NG_PORT$guide_path" "$NG_PID"
        bench_wrk guide "$guide_path" sqlite ywtb "$r" "$SB$guide_path" "$S_PID"
    done
    for r in $(seq "$CAT_ROUNDS"); do
        # nginx gets the same request, Authorization header included
        BENCH_TOKEN=$CIT_TOK bench_wrk me /api/v1/me sqlite nginx "$r" "http://127.0.0.1:$NG_PORT/api/v1/me" "$NG_PID" "$here/auth.lua"
        BENCH_TOKEN=$CIT_TOK bench_wrk me /api/v1/me sqlite ywtb "$r" "$SB/api/v1/me" "$S_PID" "$here/auth.lua"
    done
    # for reference: the same requests with the session cache off (every request reads the database)
    start_ywtb sqlite-nocache "$sqlite_url" off --session-cache 0
    BENCH_TOKEN=$CIT_TOK bench_wrk me /api/v1/me sqlite ywtb-nocache 1 "http://127.0.0.1:$YW_PORT/api/v1/me" "$YW_PID" "$here/auth.lua"
    stop_pid "$YW_PID"
    bench_wrk search "/api/v1/items?q=" sqlite ywtb 1 "$SB/" "$S_PID" "$here/search.lua"

    log "SQLite: login throughput"
    code=$(curl -s -o "$tmp/login.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"login\":\"admin\",\"password\":\"$PASSWORD\"}" "$SB/api/v1/auth/login")
    [ "$code" = 200 ] || { echo "bench: demo login answered $code: $(cat "$tmp/login.json")" >&2; exit 1; }
    bench_wrk login /api/v1/auth/login sqlite ywtb 1 "$SB/api/v1/auth/login" "$S_PID" "$here/login.lua" "$LOGIN_C"
    sleep 1   # a login still hashing after wrk stopped would count 19 MiB more
    rss_login=$(rss_kib "$S_PID" VmRSS)
    hwm_login=$(rss_kib "$S_PID" VmHWM)
fi

# ---- 3c. e-licenses (issue 5)
if want licenses; then
    log "licenses: a real document from a license issued now"
    REV_TOK=$(login_token "$S_PORT" reviewer)
    curl -sf -H "Authorization: Bearer $REV_TOK" -H 'Content-Type: application/json' \
        -d "{\"type\":\"LT-001\",\"holder_ident\":\"$COMPANY\",\"holder_name\":\"$COMPANY_NAME\"}" \
        "$SB/api/v1/licenses" >"$tmp/license.json" || { echo "bench: issuing a license failed" >&2; exit 1; }
    lic_id=$(jfield id <"$tmp/license.json")
    curl -sf -H "Authorization: Bearer $REV_TOK" "$SB/api/v1/licenses/$lic_id/document" >"$tmp/license-doc.json"
    curl -sf "$SB/api/v1/keys" >"$tmp/keys.json"
    { printf '{"document":'; cat "$tmp/license-doc.json"; printf '}'; } >"$tmp/verify-body.json"
    curl -sf -H 'Content-Type: application/json' --data-binary @"$tmp/verify-body.json" "$SB/api/v1/licenses/verify" \
        >"$tmp/verdict.json"
    grep -q '"valid":true' "$tmp/verdict.json" || { echo "bench: the API does not verify: $(cat "$tmp/verdict.json")" >&2; exit 1; }
    "$YWTB" verify license "$tmp/license-doc.json" --keys "$tmp/keys.json" >"$tmp/cli-verdict.txt" 2>&1 ||
        { echo "bench: ywtb verify license fails: $(cat "$tmp/cli-verdict.txt")" >&2; exit 1; }
    lic_doc_bytes=$(wc -c <"$tmp/license-doc.json")
    log "license $lic_id, document $lic_doc_bytes bytes; $(head -1 "$tmp/cli-verdict.txt")"

    log "licenses: OpenSSL's raw SM2 rate, the library call, the command"
    measure_cmd openssl "" openssl speed -seconds 3 sm2
    read -r ossl_sign ossl_verify < <(awk '/SM2 \(CurveSM2\)/ {print $(NF - 1), $NF}' "$tmp/raw/openssl.out")
    [ -n "${ossl_verify:-}" ] || { echo "bench: no SM2 line from openssl speed" >&2; exit 1; }
    measure_cmd libverify "" "$tmp/bin/lib_verify" 3 "$tmp/license-doc.json" "$tmp/keys.json"
    lv_raw=$(sed -n 's/.*raw_sm2_verify_per_s=\([0-9.]*\).*/\1/p' "$tmp/raw/libverify.out")
    lv_lib=$(sed -n 's/.*lib_verify_per_s=\([0-9.]*\).*/\1/p' "$tmp/raw/libverify.out")
    # the command: one process after another for 5 s, process start included
    cli_loop() {
        local n=0 end=$((${EPOCHREALTIME/./} + 5000000))   # microseconds, no fork
        while [ "${EPOCHREALTIME/./}" -lt "$end" ]; do
            "$YWTB" verify license "$tmp/license-doc.json" --keys "$tmp/keys.json" >/dev/null 2>&1 || return 1
            n=$((n + 1))
        done
        echo "invocations=$n"
    }
    measure_cmd cli "" cli_loop
    cli_n=$(sed -n 's/^invocations=//p' "$tmp/raw/cli.out")
    cli_rate=$(awk -v n="$cli_n" -v w="$(rv cli 2)" 'BEGIN {printf "%.0f", n / w}')

    log "licenses: verification and issuing through the API"
    # The route is rate-limited per client address: count what one address gets.
    verify_rl_ok=0 verify_rl_429=0
    for _ in $(seq 130); do
        case "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
            --data-binary @"$tmp/verify-body.json" "$SB/api/v1/licenses/verify")" in
        200) verify_rl_ok=$((verify_rl_ok + 1)) ;;
        429) verify_rl_429=$((verify_rl_429 + 1)) ;;
        esac
    done
    log "  130 verifications in a row from one address: $verify_rl_ok answered 200, $verify_rl_429 answered 429"
    # So the throughput run comes from many addresses: a server that trusts
    # X-Forwarded-For (as behind nginx), every request from another address.
    start_ywtb sqlite-proxy "$sqlite_url" "$tmp/access-proxy.log" --trust-proxy true
    V_PID=$YW_PID V_PORT=$YW_PORT
    BENCH_XFF=1 BENCH_BODY="$tmp/verify-body.json" bench_wrk lverify /api/v1/licenses/verify sqlite ywtb 1 \
        "http://127.0.0.1:$V_PORT/api/v1/licenses/verify" "$V_PID" "$here/post_json.lua"
    stop_pid "$V_PID"
    lic_count() { sqlite3 "$tmp/sqlite/ywtb.db" "PRAGMA busy_timeout = 5000; SELECT COUNT(*) FROM licenses" | tail -1; }
    issue_before() { ISSUE_N0=$(lic_count); ISSUE_G0=$(metric "$S_PORT" ywtb_db_group_commits_total); ISSUE_J0=$(metric "$S_PORT" ywtb_db_group_jobs_total); }
    issue_after() { ISSUE_N1=$(lic_count); ISSUE_G1=$(metric "$S_PORT" ywtb_db_group_commits_total); ISSUE_J1=$(metric "$S_PORT" ywtb_db_group_jobs_total); }
    BW_BEFORE=issue_before BW_AFTER=issue_after BENCH_TOKEN=$REV_TOK bench_wrk lissue /api/v1/licenses sqlite ywtb 1 \
        "$SB/api/v1/licenses" "$S_PID" "$here/license_issue.lua"
    issue_rows=$((ISSUE_N1 - ISSUE_N0))
    issue_jobs=$((ISSUE_J1 - ISSUE_J0)) issue_commits=$((ISSUE_G1 - ISSUE_G0))

    log "licenses: bulk import of $IMPORT_ROWS licenses (NDJSON, valid credit codes)"
    # 91 310104 + MC + 6 digits + GB 11714 check + GB 32100 MOD 31 check
    awk -v N="$IMPORT_ROWS" '
    function uscc(n,   org, s, k, c9, body, sum, w, c) {
        org = sprintf("MC%06d", n % 1000000)
        s = 0
        for (k = 1; k <= 8; k++) s += (index(D36, substr(org, k, 1)) - 1) * OW[k]
        c9 = 11 - s % 11
        body = "91310104" org (c9 == 10 ? "X" : c9 == 11 ? "0" : c9)
        sum = 0; w = 1
        for (k = 1; k <= 17; k++) { sum += (index(A, substr(body, k, 1)) - 1) * w; w = w * 3 % 31 }
        c = (31 - sum % 31) % 31
        return body substr(A, c + 1, 1)
    }
    BEGIN {
        A = "0123456789ABCDEFGHJKLMNPQRTUWXY"; D36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        split("3 7 9 10 5 8 4 2", OW, " ")
        for (i = 1; i <= N; i++) {
            id = uscc(i); name = "上海汇导科技有限公司" i
            printf "{\"type\":\"LT-001\",\"holder_ident\":\"%s\",\"holder_name\":\"%s\",\"fields\":{\"name\":\"%s\",", id, name, name
            printf "\"uscc\":\"%s\",\"legal_rep\":\"李强\",\"type\":\"有限责任公司（自然人投资或控股）\",\"registered_capital\":\"%d\",", id, 50 + i % 950
            printf "\"address\":\"上海市徐汇区漕溪北路336号\",\"business_scope\":\"技术开发、技术咨询、技术服务\",\"established\":\"2019-03-12\"},"
            printf "\"valid_from\":\"2019-03-12\",\"valid_until\":\"\"}\n"
        }
    }' >"$tmp/import.ndjson"
    import_before=$(lic_count)
    # the server's database and its secret key file; the server idles meanwhile
    measure_cmd import "" "$YWTB" import licenses "$tmp/import.ndjson" --db "$sqlite_url" --secret-key-file "$SECRET_FILE"
    import_rows=$(($(lic_count) - import_before))
    [ "$import_rows" = "$IMPORT_ROWS" ] || { echo "bench: imported $import_rows of $IMPORT_ROWS licenses" >&2; exit 1; }
    import_rate=$(awk -v n="$import_rows" -v w="$(rv import 2)" 'BEGIN {printf "%.0f", n / w}')
fi

# ---- 3d. cases (issue 4)
# prepare_submission PORT PREFIX: the citizen's token, a PDF uploaded once and
# the body of a submission of $SUBMIT_ITEM with its 3 required materials; one
# submission to check it is accepted.
prepare_submission() {
    local port="$1" prefix="$2" tok fid
    tok=$(login_token "$port" "$CITIZEN")
    # a real one-page PDF: uploads are checked for their structure (qpdf --check)
    printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%%%EOF\n' >"$tmp/material.pdf"
    fid=$(curl -sf -H "Authorization: Bearer $tok" -F "file=@$tmp/material.pdf;type=application/pdf" \
        "http://127.0.0.1:$port/api/v1/files" | jfield file_id)
    [ -n "$fid" ] || { echo "bench: upload failed" >&2; return 1; }
    local m materials="" sep=""
    for m in M01 M02 M03; do
        materials="$materials$sep{\"material_code\":\"$SUBMIT_ITEM-$m\",\"file_id\":\"$fid\"}"
        sep=,
    done
    # the required form fields (all prefilled from the citizen's record, sent as they are)
    printf '{"item_code":"%s","form":{"name":"张小明","id_number":"%s","phone":"13912345678"},"materials":[%s]}' \
        "$SUBMIT_ITEM" "$CITIZEN" "$materials" >"$tmp/submit-$prefix.json"
    local code
    code=$(curl -s -o "$tmp/submit-$prefix.out" -w '%{http_code}' -H "Authorization: Bearer $tok" \
        -H 'Content-Type: application/json' --data-binary @"$tmp/submit-$prefix.json" "http://127.0.0.1:$port/api/v1/cases")
    [ "$code" = 201 ] || { echo "bench: submission answered $code: $(head -c 400 "$tmp/submit-$prefix.out")" >&2; return 1; }
    grep -q '"missing_materials":0' "$tmp/submit-$prefix.out" || { echo "bench: materials missing" >&2; return 1; }
    SUBMIT_TOK=$tok
}
# bench_mine PORT DB: a citizen's own case list and case page (issue 19)
# against nginx serving the same bytes: five cases of the citizen, the list's
# first page and the newest case's page copied to $tmp/www/mine-*-DB (other
# names than ywtb's paths, so the list and the page can both be files), then
# the same Bearer requests to both.  Needs prepare_submission's body.  ywtb
# answers repeats from its per-account cache (src/cases/mine_cache.c); the log
# says how many of its lookups were hits.
bench_mine() {
    local port="$1" db="$2" base i no
    base="http://127.0.0.1:$port"
    prepare_submission "$port" "$db"
    for i in 1 2 3 4; do
        curl -sf -o "$tmp/mine-$db.out" -H "Authorization: Bearer $SUBMIT_TOK" -H 'Content-Type: application/json' \
            --data-binary @"$tmp/submit-$db.json" "$base/api/v1/cases" || { echo "bench: a citizen's case was refused" >&2; return 1; }
    done
    no=$(jfield case_no <"$tmp/mine-$db.out")
    curl -sf -H "Authorization: Bearer $SUBMIT_TOK" -o "$tmp/www/mine-list-$db" "$base/api/v1/cases?limit=20"
    curl -sf -H "Authorization: Bearer $SUBMIT_TOK" -o "$tmp/www/mine-case-$db" "$base/api/v1/cases/$no"
    chmod a+r "$tmp/www/mine-list-$db" "$tmp/www/mine-case-$db"
    same_bytes "/mine-list-$db"
    same_bytes "/mine-case-$db"
    log "$db: a citizen's case list $(wc -c <"$tmp/www/mine-list-$db") bytes, case page $(wc -c <"$tmp/www/mine-case-$db") bytes"
    local pid r rounds=$CAT_ROUNDS
    [ "$db" = pg ] && rounds=$PG_ROUNDS
    pid=$S_PID
    [ "$db" = pg ] && pid=$P_PID
    for r in $(seq "$rounds"); do
        BENCH_TOKEN=$SUBMIT_TOK bench_wrk mine /api/v1/cases "$db" nginx "$r" "http://127.0.0.1:$NG_PORT/mine-list-$db" "$NG_PID" "$here/auth.lua"
        BENCH_TOKEN=$SUBMIT_TOK bench_wrk mine /api/v1/cases "$db" ywtb "$r" "$base/api/v1/cases?limit=20" "$pid" "$here/auth.lua"
        BENCH_TOKEN=$SUBMIT_TOK bench_wrk mine "/api/v1/cases/{no}" "$db" nginx "$r" "http://127.0.0.1:$NG_PORT/mine-case-$db" "$NG_PID" "$here/auth.lua"
        BENCH_TOKEN=$SUBMIT_TOK bench_wrk mine "/api/v1/cases/{no}" "$db" ywtb "$r" "$base/api/v1/cases/$no" "$pid" "$here/auth.lua"
    done
    log "$db: own-list cache lookups: $(metric "$port" 'ywtb_cases_mine_cache_lookups_total{result="hit"}') hits, $(metric "$port" 'ywtb_cases_mine_cache_lookups_total{result="miss"}') misses"
    # for reference: a second server on the same database with the cache off
    # (every request reads the database, as before issue 19's cache)
    local dburl=$sqlite_url
    [ "$db" = pg ] && dburl=$pg_url
    start_ywtb "$db-mine-nocache" "$dburl" "$tmp/access-$db-mine-nocache.log" --cases-mine-cache-kib 0
    BENCH_TOKEN=$SUBMIT_TOK bench_wrk mine /api/v1/cases "$db" ywtb-nocache 1 "http://127.0.0.1:$YW_PORT/api/v1/cases?limit=20" "$YW_PID" "$here/auth.lua"
    BENCH_TOKEN=$SUBMIT_TOK bench_wrk mine "/api/v1/cases/{no}" "$db" ywtb-nocache 1 "http://127.0.0.1:$YW_PORT/api/v1/cases/$no" "$YW_PID" "$here/auth.lua"
    stop_pid "$YW_PID"
}
gc_before() { GC_G0=$(metric "$GC_PORT" ywtb_db_group_commits_total); GC_J0=$(metric "$GC_PORT" ywtb_db_group_jobs_total); }
gc_after() { GC_G1=$(metric "$GC_PORT" ywtb_db_group_commits_total); GC_J1=$(metric "$GC_PORT" ywtb_db_group_jobs_total); }
# PostgreSQL: ANALYZE after the warm-up, as autovacuum does within a minute of a new
# deployment's first writes.  Statements prepared while case_materials was empty
# keep plans made for an empty table (a sequential scan) until an ANALYZE
# invalidates them; the bench measures the steady state, not that first minute.
gc_before_pg() { psql_pg -c "ANALYZE" ywtb_bench; gc_before; }

if want catalog; then
    log "SQLite: a citizen's own case list and case page against nginx"
    bench_mine "$S_PORT" sqlite
fi

if want cases; then
    log "SQLite: durable case submissions ($SUBMIT_ITEM, 3 materials), next to the raw commit rate"
    prepare_submission "$S_PORT" sqlite
    timeout 60 sync -f "$tmp" 2>/dev/null || true
    run_raw sq2 "$tmp/bin/sqlite_commit" "$tmp/commit2.db" 5
    GC_PORT=$S_PORT BW_BEFORE=gc_before BW_AFTER=gc_after BENCH_TOKEN=$SUBMIT_TOK BENCH_BODY="$tmp/submit-sqlite.json" \
        bench_wrk submit /api/v1/cases sqlite ywtb 1 "$SB/api/v1/cases" "$S_PID" "$here/post_json.lua"
    sub_sq_commits=$((GC_G1 - GC_G0)) sub_sq_jobs=$((GC_J1 - GC_J0))

    log "full flows (submit, accept, two parallel approvals) against bpmn-engine in memory"
    measure_cmd bpmn-1 "" node "$here/flows/bpmn.mjs" "$FLOW_S" 16
    for c in $FLOW_CONC; do
        measure_cmd "flows-c$c" "$S_PID" node "$here/flows/ywtb.mjs" "$SB" "$FLOW_S" "$c"
    done
    measure_cmd bpmn-2 "" node "$here/flows/bpmn.mjs" "$FLOW_S" 16
    flow_rate() { sed -n 's/.*= \([0-9.]*\) \(flows\|instances\)\/s.*/\1/p' "$tmp/raw/$1.out"; }
    bpmn_mean=$(awk -v a="$(flow_rate bpmn-1)" -v b="$(flow_rate bpmn-2)" 'BEGIN {printf "%.1f", (a + b) / 2}')
    flow_best=0 flow_best_c=""
    for c in $FLOW_CONC; do
        r=$(flow_rate "flows-c$c")
        if awk -v r="$r" -v b="$flow_best" 'BEGIN {exit !(r > b)}'; then flow_best=$r flow_best_c=$c; fi
    done
fi
if want catalog || want licenses || want cases; then
    sleep 1
    rss_end=$(rss_kib "$S_PID" VmRSS)
    hwm_end=$(rss_kib "$S_PID" VmHWM)
    sq_cases=$(sqlite3 "$tmp/sqlite/ywtb.db" "PRAGMA busy_timeout = 5000; SELECT COUNT(*) FROM cases" | tail -1)
fi
stop_pid "$S_PID"

# ---------------------------------------------------------------- 4. start-up
# startup_series DBURL NAME: N starts on an existing, migrated database.
startup_series() {
    local dburl="$1" name="$2" i try port out
    : >"$tmp/startup-$name.txt"
    wait_quiet "start-up $name"
    for i in $(seq "$STARTS"); do
        for try in 1 2 3; do   # another process may take the free port first
            port=$(free_port)
            if out=$(timeout 30 "$tmp/bin/startup" "$port" "$tmp/startup-$name.log" -- "$YWTB" serve --db "$dburl" \
                --listen "127.0.0.1:$port" --access-log off --threads "$THREADS" --web-root "$root/web" \
                --secret-key-file "$SECRET_FILE" 2>&1); then
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
# start-up, in every run (issue 19): it grows as modules are added
if [ "$STARTS" -gt 0 ]; then
    log "start-up: $STARTS starts on the SQLite database"
    startup_series "$sqlite_url" sqlite
    read -r st_med st_max st_min st_cpu <"$tmp/startup-sqlite.sum"
    st_self=$(sed -n 's/.*"ready in \([0-9]*\) ms.*/\1/p' "$tmp/startup-sqlite.log" | sort -n |
        awk '{v[NR] = $1} END {print (NR ? v[int((NR + 1) / 2)] : "?")}')
    log "start-up: median $st_med ms, max $st_max ms, CPU until ready median $st_cpu ms (server's own 'ready in': median $st_self ms)"
fi

# ---------------------------------------------------------------- 5. scale: queue and case page
# seed_scale DBURL N NAME [RESET]: `ywtb seed --scale xuhui` (with --cases N
# unless N is a million) on a database that holds the demo data; when that
# fails, RESET (a function that recreates the demo database) and `--scale small
# --cases N` instead. Sets SCALE_HOW and SCALE_NOTE.
seed_scale() {
    local dburl="$1" n="$2" name="$3" reset="${4:-}" extra=()
    [ "$n" = 1000000 ] || extra=(--cases "$n")
    SCALE_NOTE=""
    if [ -z "${SCALE_XUHUI_FAILED:-}" ]; then
        if measure_cmd "seed-$name" "" "$YWTB" seed --scale xuhui "${extra[@]}" --db "$dburl"; then
            SCALE_HOW="seed --scale xuhui${extra[*]:+ ${extra[*]}}"
            return 0
        fi
        SCALE_XUHUI_FAILED=$(grep -v '^{"ts' "$tmp/raw/seed-$name.err" | tail -1)
        SCALE_NOTE="\`seed --scale xuhui\` failed: $SCALE_XUHUI_FAILED"
        log "  $SCALE_NOTE; falling back to --scale small --cases $n on a fresh demo database"
        "$reset"
    else
        SCALE_NOTE="\`seed --scale xuhui\` failed earlier in this run ($SCALE_XUHUI_FAILED)"
    fi
    measure_cmd "seed-$name" "" "$YWTB" seed --scale small --cases "$n" --db "$dburl"
    SCALE_HOW="seed --scale small --cases $n"
}

# scale_reads DB PORT PID PATHSFILE: the reviewer's queue and case pages at
# SCALE_C_LOW and 64 connections.
scale_reads() {
    local db="$1" port="$2" pid="$3" paths="$4" rtok ctok stok c
    rtok=$(login_token "$port" reviewer)
    ctok=$(login_token "$port" clerk)
    stok=$(login_token "$port" supervisor)
    curl -sf -H "Authorization: Bearer $stok" "http://127.0.0.1:$port/api/v1/tasks/stats" >"$tmp/taskstats-$db.json" ||
        { echo "bench: the task counts fail" >&2; return 1; }
    curl -sf -H "Authorization: Bearer $rtok" "http://127.0.0.1:$port/api/v1/tasks" >"$tmp/queue-$db.json" ||
        { echo "bench: the reviewer's queue fails" >&2; return 1; }
    curl -sf -H "Authorization: Bearer $ctok" "http://127.0.0.1:$port$(head -1 "$paths")" >"$tmp/casepage-$db.json" ||
        { echo "bench: the case page fails" >&2; return 1; }
    for c in "$SCALE_C_LOW" "$WRK_C"; do
        BENCH_TOKEN=$rtok bench_wrk queue /api/v1/tasks "$db" ywtb 1 "http://127.0.0.1:$port/api/v1/tasks" "$pid" "$here/auth.lua" "$c"
        BENCH_TOKEN=$ctok BENCH_PATHS=$paths bench_wrk casepage "/api/v1/cases/{no}" "$db" ywtb 1 \
            "http://127.0.0.1:$port/" "$pid" "$here/paths.lua" "$c"
        # issue 19: the counts by light (running counts, migration 0033) and the
        # all-departments queue, both as the supervisor reads them
        BENCH_TOKEN=$stok bench_wrk taskstats /api/v1/tasks/stats "$db" ywtb 1 "http://127.0.0.1:$port/api/v1/tasks/stats" "$pid" "$here/auth.lua" "$c"
        BENCH_TOKEN=$stok bench_wrk queueall /api/v1/tasks "$db" ywtb 1 "http://127.0.0.1:$port/api/v1/tasks" "$pid" "$here/auth.lua" "$c"
    done
}

sq_scale_done=0
if want cases && [ "$SCALE_CASES" -gt 0 ]; then
    log "scale: $SCALE_CASES cases on SQLite"
    mkdir -p "$tmp/scale"
    scale_sq_url="sqlite:$tmp/scale/ywtb.db"
    scale_sq_reset() {
        rm -f "$tmp/scale/ywtb.db" "$tmp/scale/ywtb.db-wal" "$tmp/scale/ywtb.db-shm"
        "$YWTB" seed --demo --db "$scale_sq_url" >>"$tmp/seed-scale.log" 2>&1
    }
    scale_sq_reset
    seed_scale "$scale_sq_url" "$SCALE_CASES" sqlite scale_sq_reset
    sq_scale_how=$SCALE_HOW sq_scale_note=$SCALE_NOTE
    sq_scale_cases=$(sqlite3 "$tmp/scale/ywtb.db" "SELECT COUNT(*) FROM cases")
    sq_scale_pending=$(sqlite3 "$tmp/scale/ywtb.db" "SELECT COUNT(*) FROM tasks WHERE dept_code = 'XH-SCJ' AND status = 'pending'")
    sq_scale_bytes=$(stat -c %s "$tmp/scale/ywtb.db")
    # 1,000 case numbers spread over the whole table
    sqlite3 "$tmp/scale/ywtb.db" "SELECT '/api/v1/cases/' || case_no FROM cases WHERE id % $((sq_scale_cases / 1000 > 0 ? sq_scale_cases / 1000 : 1)) = 0 LIMIT 1000" \
        >"$tmp/case-paths-sqlite.txt"
    start_ywtb scale-sqlite "$scale_sq_url" "$tmp/access-scale.log"
    scale_reads sqlite "$YW_PORT" "$YW_PID" "$tmp/case-paths-sqlite.txt"
    rss_scale=$(rss_kib "$YW_PID" VmRSS)
    stop_pid "$YW_PID"
    rm -f "$tmp/scale/ywtb.db" "$tmp/scale/ywtb.db-wal" "$tmp/access-scale.log"   # ~800 MB
    sq_scale_done=1
fi

# ---------------------------------------------------------------- 6. PostgreSQL
pg_done=0 pg_scale_done=0
if [ "$PG_ROUNDS" -gt 0 ] && [ -x "$PGBIN/initdb" ] && { want http || want catalog || want cases; }; then
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
    PG_PID=$(head -1 "$pg_data/postmaster.pid")
    DB_PID=$PG_PID   # from here on, PostgreSQL's CPU is counted apart from "other"
    psql_pg() { "${as_pg[@]}" "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres "$@"; }
    "${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ywtb_bench
    pg_url="postgres://postgres@127.0.0.1:$PGPORT/ywtb_bench"
    pg_sync=$(psql_pg -At -c "SHOW synchronous_commit" ywtb_bench)
    pg_fsync=$(psql_pg -At -c "SHOW fsync" ywtb_bench)
    "$YWTB" seed --demo --db "$pg_url" >"$tmp/seed-pg.log" 2>&1

    start_ywtb pg "$pg_url" "$tmp/access-pg.log"
    P_PID=$YW_PID P_PORT=$YW_PORT
    PB="http://127.0.0.1:$P_PORT"
    if want http; then
        for ep in /api/v1/openapi.json /healthz; do
            for r in $(seq "$PG_ROUNDS"); do
                bench_wrk http "$ep" pg nginx "$r" "http://127.0.0.1:$NG_PORT$ep" "$NG_PID"
                bench_wrk http "$ep" pg ywtb "$r" "$PB$ep" "$P_PID"
            done
        done
        sleep 1
        rss_pg=$(rss_kib "$P_PID" VmRSS)
    fi
    if want catalog; then
        # the same account has the same /api/v1/me bytes on both engines but its
        # created_at and csrf token: nginx serves the SQLite copy (same size)
        PCIT_TOK=$(login_token "$P_PORT" "$CITIZEN")
        for r in $(seq "$PG_ROUNDS"); do
            BENCH_TOKEN=$CIT_TOK bench_wrk me /api/v1/me pg nginx "$r" "http://127.0.0.1:$NG_PORT/api/v1/me" "$NG_PID" "$here/auth.lua"
            BENCH_TOKEN=$PCIT_TOK bench_wrk me /api/v1/me pg ywtb "$r" "$PB/api/v1/me" "$P_PID" "$here/auth.lua"
        done
        log "PostgreSQL: a citizen's own case list and case page against nginx"
        bench_mine "$P_PORT" pg
        start_ywtb pg-nocache "$pg_url" off --session-cache 0
        BENCH_TOKEN=$PCIT_TOK bench_wrk me /api/v1/me pg ywtb-nocache 1 "http://127.0.0.1:$YW_PORT/api/v1/me" "$YW_PID" "$here/auth.lua"
        stop_pid "$YW_PID"
        bench_wrk search "/api/v1/items?q=" pg ywtb 1 "$PB/" "$P_PID" "$here/search.lua"
        log "PostgreSQL: login throughput"
        bench_wrk login /api/v1/auth/login pg ywtb 1 "$PB/api/v1/auth/login" "$P_PID" "$here/login.lua" "$LOGIN_C"
        sleep 1
        rss_pg_login=$(rss_kib "$P_PID" VmRSS)
        hwm_pg_login=$(rss_kib "$P_PID" VmHWM)
    fi
    if want cases; then
        log "PostgreSQL: durable case submissions, next to pgbench's single-row commit rate"
        prepare_submission "$P_PORT" pg
        psql_pg -c "CREATE TABLE bench_commit (id bigserial PRIMARY KEY, at timestamptz NOT NULL, payload text NOT NULL)" ywtb_bench
        printf '%s\n' "INSERT INTO bench_commit (at, payload) VALUES (now(), '{\"case_no\":\"XH2026000001\",\"item\":\"310104-001\",\"state\":\"submitted\"}');" \
            >"$tmp/pgbench.sql"
        chmod a+r "$tmp/pgbench.sql"
        measure_cmd pgbench "" "${as_pg[@]}" "$PGBIN/pgbench" -n -h 127.0.0.1 -p "$PGPORT" -U postgres -c 1 -j 1 -T 5 \
            -f "$tmp/pgbench.sql" ywtb_bench
        pgb_tps=$(sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$tmp/raw/pgbench.out" | head -1)
        pgb_lat=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$tmp/raw/pgbench.out" | head -1)
        # the capacity model's figures (issue 17): WAL bytes per case over the run
        wal0=$(psql_pg -At -c "SELECT pg_current_wal_lsn()" ywtb_bench)
        cases0=$(psql_pg -At -c "SELECT count(*) FROM cases" ywtb_bench)
        GC_PORT=$P_PORT BW_BEFORE=gc_before_pg BW_AFTER=gc_after BENCH_TOKEN=$SUBMIT_TOK BENCH_BODY="$tmp/submit-pg.json" \
            bench_wrk submit /api/v1/cases pg ywtb 1 "$PB/api/v1/cases" "$P_PID" "$here/post_json.lua"
        sub_pg_commits=$((GC_G1 - GC_G0)) sub_pg_jobs=$((GC_J1 - GC_J0))
        pg_wal_per_case=$(psql_pg -At -c "SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal0') / GREATEST(count(*) - $cases0, 1)) FROM cases" ywtb_bench)
    fi
    stop_pid "$P_PID"
    if want http; then
        log "start-up: $STARTS starts on the PostgreSQL database"
        startup_series "$pg_url" pg
        read -r pst_med pst_max pst_min pst_cpu <"$tmp/startup-pg.sum"
    fi
    pg_done=1

    if want cases && [ "$PG_SCALE_CASES" -gt 0 ]; then
        log "scale: $PG_SCALE_CASES cases on PostgreSQL"
        scale_pg_url="postgres://postgres@127.0.0.1:$PGPORT/ywtb_scale"
        scale_pg_reset() {
            "${as_pg[@]}" "$PGBIN/dropdb" --if-exists -h 127.0.0.1 -p "$PGPORT" -U postgres ywtb_scale
            "${as_pg[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ywtb_scale
            "$YWTB" seed --demo --db "$scale_pg_url" >>"$tmp/seed-scale-pg.log" 2>&1
        }
        scale_pg_reset
        seed_scale "$scale_pg_url" "$PG_SCALE_CASES" pg scale_pg_reset
        pg_scale_how=$SCALE_HOW pg_scale_note=$SCALE_NOTE
        pg_scale_cases=$(psql_pg -At -c "SELECT COUNT(*) FROM cases" ywtb_scale)
        pg_scale_pending=$(psql_pg -At -c "SELECT COUNT(*) FROM tasks WHERE dept_code = 'XH-SCJ' AND status = 'pending'" ywtb_scale)
        psql_pg -At -c "SELECT '/api/v1/cases/' || case_no FROM cases WHERE id % $((pg_scale_cases / 1000 > 0 ? pg_scale_cases / 1000 : 1)) = 0 LIMIT 1000" \
            ywtb_scale >"$tmp/case-paths-pg.txt"
        # what autovacuum would do soon after a bulk load, and the checkpoint that
        # would otherwise write the load's pages out during the measurements
        psql_pg -c "VACUUM ANALYZE" ywtb_scale
        psql_pg -c "CHECKPOINT" ywtb_scale
        start_ywtb scale-pg "$scale_pg_url" "$tmp/access-scale-pg.log"
        scale_reads pg "$YW_PORT" "$YW_PID" "$tmp/case-paths-pg.txt"
        stop_pid "$YW_PID"
        pg_scale_done=1
    fi
fi

t_total=$(($(date +%s) - t_start))
m_load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- 7. report
log "writing $OUT"
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
met() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**not met**"; fi; }
us_ms() { awk -v u="$1" 'BEGIN {printf "%.2f ms", u / 1000}'; }
dbname() { if [ "$1" = pg ]; then echo PostgreSQL; else echo SQLite; fi; }
QUIET=20   # a run with more than this % other CPU is marked busy

# mean of column COL over the rows matching kind/endpoint/db/server
mean_col() {
    awk -F'\t' -v c="$1" -v k="$2" -v e="$3" -v d="$4" -v s="$5" \
        '$1 == k && $2 == e && $3 == d && $4 == s {t += $c; n++} END {if (n) printf "%.2f", t / n}' "$results"
}
# one row's column: kind endpoint db conns col
row_col() {
    awk -F'\t' -v k="$1" -v e="$2" -v d="$3" -v cn="$4" -v c="$5" \
        '$1 == k && $2 == e && $3 == d && $13 == cn {v = $c} END {print v}' "$results"
}
# lowest and highest per-round ratio ywtb ÷ nginx
ratio_range() {
    awk -F'\t' -v k="$1" -v e="$2" -v d="$3" '$1 == k && $2 == e && $3 == d {
        if ($4 == "nginx") ng[$5] = $6; else if ($4 == "ywtb" && ng[$5] > 0) {
            r = $6 / ng[$5]; if (lo == "" || r < lo) lo = r; if (hi == "" || r > hi) hi = r } }
        END {if (lo != "") printf "%.2f–%.2f", lo, hi}' "$results"
}
# ratio of mean req/s over the "quiet" rounds: neither run had more than
# QUIET% other CPU; prints "RATIO N" or nothing
quiet_ratio() {
    awk -F'\t' -v k="$1" -v e="$2" -v d="$3" -v q="$QUIET" '$1 == k && $2 == e && $3 == d {
        if ($4 == "nginx") { ng[$5] = $6; ngo[$5] = $11 }
        else if ($4 == "ywtb" && ($5 in ng) && ngo[$5] <= q && $11 <= q) { a += $6; b += ng[$5]; n++ } }
        END {if (n) printf "%.2f %d", a / b, n}' "$results"
}
# target_vs_nginx KIND ENDPOINT DB MIN LABEL: one row of the targets table
target_vs_nginx() {
    local kind="$1" ep="$2" db="$3" min="$4" label="$5" ng yw ngc ywc ratio eff ok qr verdict busy nr
    ng=$(mean_col 6 "$kind" "$ep" "$db" nginx)
    yw=$(mean_col 6 "$kind" "$ep" "$db" ywtb)
    [ -n "$ng" ] && [ -n "$yw" ] || return 0
    ngc=$(mean_col 12 "$kind" "$ep" "$db" nginx)
    ywc=$(mean_col 12 "$kind" "$ep" "$db" ywtb)
    ratio=$(awk -v a="$yw" -v b="$ng" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
    eff=$(awk -v a="$yw" -v b="$ng" -v ac="$ywc" -v bc="$ngc" \
        'BEGIN {printf "%.2f", (b > 0 && ac > 0 && bc > 0 ? (a / ac) / (b / bc) : 0)}')
    ok=$(awk -v r="$ratio" -v m="$min" 'BEGIN {print (r >= m) ? 1 : 0}')
    nr=$(awk -F'\t' -v k="$kind" -v e="$ep" -v d="$db" '$1 == k && $2 == e && $3 == d && $4 == "nginx"' "$results" | wc -l)
    qr=$(quiet_ratio "$kind" "$ep" "$db")
    if [ -n "$qr" ]; then qr="quiet rounds ${qr% *} (${qr#* } of $nr)"; else qr="no quiet round"; fi
    verdict=$(met "$ok")
    busy=$(awk -F'\t' -v k="$kind" -v e="$ep" -v d="$db" -v q="$QUIET" \
        '$1 == k && $2 == e && $3 == d && ($4 == "nginx" || $4 == "ywtb") && $11 > q {n++} END {print n + 0}' "$results")
    [ "$ok" = 0 ] && [ "$busy" -gt 0 ] && verdict="$verdict (in busy runs)"
    printf '| %s ≥ %s × nginx | %.0f ÷ %.0f req/s = **%s** (rounds %s); %s; per CPU-s %s | %s |\n' \
        "$label" "$min" "$yw" "$ng" "$ratio" "$(ratio_range "$kind" "$ep" "$db")" "$qr" "$eff" "$verdict"
}
# target_p99 KIND ENDPOINT DB CONNS LABEL: p99 < 20 ms
target_p99() {
    local p99 rps other ok v
    p99=$(row_col "$1" "$2" "$3" "$4" 8)
    [ -n "$p99" ] || return 0
    rps=$(row_col "$1" "$2" "$3" "$4" 6)
    other=$(row_col "$1" "$2" "$3" "$4" 11)
    ok=$(awk -v p="$p99" 'BEGIN {print (p < 20000) ? 1 : 0}')
    v=$(met "$ok")
    [ "$ok" = 0 ] && [ "$other" -gt "$QUIET" ] && v="$v (busy run: other CPU $other%)"
    printf '| %s p99 < 20 ms | p99 **%s**, p50 %s, %.0f req/s | %s |\n' "$5" "$(us_ms "$p99")" \
        "$(us_ms "$(row_col "$1" "$2" "$3" "$4" 7)")" "$rps" "$v"
}
# wrk_table KIND...: the rows of those kinds
wrk_table() {
    echo "| what | db | server | round | conns | req/s | p50 | p99 | bytes/resp | errors | server CPU | other CPU | req per server CPU-s | ratio to nginx | load1 before | waited |"
    echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -F'\t' -v kinds=" $* " -v q="$QUIET" 'index(kinds, " " $1 " ") {
        key = $1 SUBSEP $2 SUBSEP $3 SUBSEP $5
        if ($4 == "nginx") ng[key] = $6
        ratio = ($4 == "nginx") ? "1" : ((key in ng) && ng[key] > 0 ? sprintf("%.2f", $6 / ng[key]) : "")
        printf "| %s | %s | %s | %s | %s | %.0f | %.2f ms | %.2f ms | %d | %d | %.2f%s | %s%%%s | %.0f | %s | %s | %s s |\n",
            $2, ($3 == "pg" ? "PostgreSQL" : "SQLite"), $4, $5, $13, $6, $7 / 1000, $8 / 1000, $9, $10, $12,
            ($17 > 0 ? sprintf(" + %.2f db", $17) : ""), $11,
            ($11 > q ? " (busy)" : ""), ($12 > 0 ? $6 / $12 : 0), ratio, $15, $14
    }' "$results"
}
runs_row() {   # runs_row KEY LABEL RATE: a row of the other-measurements tables
    printf '| %s | %s | %.1f s | %s | %s | %s%% |\n' "$2" "$3" "$(rv "$1" 2)" "$(rv "$1" 3)" \
        "$( [ -n "$(rv "$1" 4)" ] && rv "$1" 4 || echo "")" "$(rv "$1" 5)"
}

gen="$tmp/generated.md"
{
    echo "## Results"
    echo
    echo "Measured $m_date by \`bench/run.sh\` in $t_total s (parts: $ONLY); $m_version built from $m_commit."
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
    echo "| OpenSSL | $m_openssl |"
    echo "| PostgreSQL | $m_pg |"
    echo "| nginx | $m_nginx |"
    echo "| wrk | $m_wrk |"
    echo "| node, bpmn-engine | $m_node, $m_bpmn |"
    echo "| temp files (SQLite, access log) | $m_fs |"
    echo "| load average at start / end | $m_load_start / $m_load_end |"
    echo "| CPU used by other processes in the 3 s before the run | $m_busy_before% |"
    echo

    # ---- the machine before each measurement
    n_meas=$(wc -l <"$conditions")
    n_waited=$(awk -F'\t' '$5 > 0' "$conditions" | wc -l)
    n_busy=$(awk -F'\t' '$6 == 0' "$conditions" | wc -l)
    echo "### Run conditions"
    echo
    echo "Before each of the $n_meas measurements the harness sampled the machine for 1 s; while other work used"
    echo "more than $QUIET_MAX % of its CPU it waited (up to $WAIT_MAX s each, $WAIT_TOTAL s in all). Measurements that waited:"
    echo "$n_waited, $waited_total s in all; started on a busy machine after the wait ran out: $n_busy. Stolen CPU (hypervisor) before"
    echo "the measurements: at most $(awk -F'\t' '$4 > m {m = $4} END {printf "%.1f", m + 0}' "$conditions")%. The 1-minute load average"
    echo "(\"load1 before\" in the tables) lags by a minute and counts this run's own previous measurement, so it is"
    echo "reported, not used to decide."
    if [ "$n_waited" -gt 0 ]; then
        echo
        echo "| measurement | load1 before | CPU busy before | steal | waited | quiet when started |"
        echo "| --- | ---: | ---: | ---: | ---: | --- |"
        awk -F'\t' '$5 > 0 || $6 == 0 {printf "| %s | %s | %s%% | %s%% | %s s | %s |\n", $1, $2, $3, $4, $5, ($6 ? "yes" : "**no**")}' "$conditions"
    fi
    echo

    # ---- targets
    echo "### Targets"
    echo
    http_other=$(awk -F'\t' '{t += $11; n++} END {if (n) printf "%.0f", t / n; else print 0}' "$results")
    if [ "${http_other:-0}" -gt 15 ]; then
        echo "**The machine was busy during this run**: other processes used $http_other% of its CPU on average"
        echo "during the wrk runs (the two servers in a round may not have had the same machine). Treat the"
        echo "req/s ratios below as uncertain and re-run on a quiet machine; the per CPU-second ratios are steadier."
        echo
    fi
    echo "Ratios to nginx compare mean req/s over all rounds (per-round ratios in brackets); for context, not as"
    echo "the target: the same ratio over the quiet rounds only (neither server's run had more than $QUIET% other"
    echo "CPU), and the ratio of req per server CPU-second. Latency targets are the exact p99 of one 10 s wrk run."
    echo
    echo "| target | measured | |"
    echo "| --- | --- | --- |"
    if want http; then
        for db in sqlite pg; do
            [ "$db" = pg ] && [ "$pg_done" != 1 ] && continue
            for ep in /api/v1/openapi.json /healthz; do
                target_vs_nginx http "$ep" "$db" 0.8 "GET $ep ($(dbname "$db"), access log on)"
            done
        done
        mem_ok=$(awk -v k="$rss_http" 'BEGIN {print (k < 50 * 1024) ? 1 : 0}')
        echo "| resident memory after the HTTP load (SQLite) < 50 MiB | $(mib "$rss_http") MiB | $(met "$mem_ok") |"
    fi
    # in every run, whatever BENCH_ONLY says (issue 19)
    idle_ok=$(awk -v k="$rss_idle" 'BEGIN {print (k < 50 * 1024) ? 1 : 0}')
    echo "| resident memory idle, every module started (SQLite) < 50 MiB | **$(mib "$rss_idle")** MiB | $(met "$idle_ok") |"
    if [ -n "${st_med:-}" ]; then
        st_ok=$(awk -v m="$st_max" 'BEGIN {print (m < 200) ? 1 : 0}')
        st_verdict=$(met "$st_ok")
        [ "$st_ok" = 0 ] && awk -v m="$st_med" 'BEGIN {exit !(m < 200)}' && st_verdict="$st_verdict (the slowest start; the median is met)"
        echo "| start-up to ready on an existing SQLite database < 200 ms (every start) | median **$st_med** ms, max $st_max ms (CPU until ready: median $st_cpu ms) | $st_verdict |"
    fi
    if want catalog; then
        target_vs_nginx guide "$guide_path" sqlite 0.8 "Item guide GET $guide_path (SQLite)"
        target_p99 search "/api/v1/items?q=" sqlite 64 "Catalog search GET /api/v1/items?q=… (7 queries + 1 filtered, SQLite, 64 connections)"
        [ "$pg_done" = 1 ] && target_p99 search "/api/v1/items?q=" pg 64 "Catalog search (PostgreSQL, 64 connections)"
        target_vs_nginx me /api/v1/me sqlite 1.0 "GET /api/v1/me, Bearer (SQLite; issue 19, was 0.4)"
        [ "$pg_done" = 1 ] && target_vs_nginx me /api/v1/me pg 1.0 "GET /api/v1/me, Bearer (PostgreSQL; issue 19, was 0.4)"
        target_vs_nginx mine /api/v1/cases sqlite 1.0 "A citizen's own case list GET /api/v1/cases?limit=20, Bearer (SQLite; issue 19)"
        target_vs_nginx mine "/api/v1/cases/{no}" sqlite 1.0 "A citizen's own case page GET /api/v1/cases/{no}, Bearer (SQLite; issue 19)"
        [ "$pg_done" = 1 ] && target_vs_nginx mine /api/v1/cases pg 1.0 "A citizen's own case list, Bearer (PostgreSQL; issue 19)"
        [ "$pg_done" = 1 ] && target_vs_nginx mine "/api/v1/cases/{no}" pg 1.0 "A citizen's own case page, Bearer (PostgreSQL; issue 19)"
        for d in sqlite pg; do
            for ep in /api/v1/cases "/api/v1/cases/{no}"; do
                nc=$(mean_col 6 mine "$ep" "$d" ywtb-nocache)
                ng=$(mean_col 6 mine "$ep" "$d" nginx)
                ngc=$(mean_col 12 mine "$ep" "$d" nginx)
                ncc=$(mean_col 12 mine "$ep" "$d" ywtb-nocache)
                [ -n "$nc" ] && [ -n "$ng" ] && awk -v a="$nc" -v b="$ng" -v ac="$ncc" -v bc="$ngc" -v e="$ep" -v n="$(dbname "$d")" \
                    'BEGIN {printf "| (reference) a citizen'"'"'s own %s with the own-list cache off (%s): every request reads the database | %.0f ÷ %.0f req/s = %.2f; per CPU-s %.2f | reported |\n", (e == "/api/v1/cases" ? "case list" : "case page"), n, a, b, (b > 0 ? a / b : 0), (b > 0 && ac > 0 && bc > 0 ? (a / ac) / (b / bc) : 0)}'
            done
        done
        for d in sqlite pg; do
            nc=$(mean_col 6 me /api/v1/me "$d" ywtb-nocache)
            ng=$(mean_col 6 me /api/v1/me "$d" nginx)
            [ -n "$nc" ] && [ -n "$ng" ] && awk -v a="$nc" -v b="$ng" -v n="$(dbname "$d")" \
                'BEGIN {printf "| (reference) GET /api/v1/me with the session cache off (%s): every request reads the database | %.0f ÷ %.0f req/s = %.2f | reported |\n", n, a, b, (b > 0 ? a / b : 0)}'
        done
        awk -F'\t' -v pcpu="$a1_per_cpu_s" -v n="$m_nproc" '$1 == "login" {
            printf "| Logins/s (Argon2id t=2, m=19 MiB, p=1), %s: report, with the ratio to bare libsodium | %.1f/s = **%.2f** of the bare rate × %d cores (%.1f/s); per server CPU-s %.2f of the bare rate | reported |\n",
                ($3 == "pg" ? "PostgreSQL" : "SQLite"), $6, (pcpu > 0 ? $6 / (pcpu * n) : 0), n, pcpu * n,
                ($12 > 0 && pcpu > 0 ? ($6 / $12) / pcpu : 0)
        }' "$results"
    fi
    if want cases; then
        sub_rps=$(row_col submit /api/v1/cases sqlite 64 6)
        ok=$(awk -v a="$sub_rps" -v b="$sq2_rate" 'BEGIN {print (b > 0 && a / b >= 0.5) ? 1 : 0}')
        v=$(met "$ok"); [ "$ok" = 0 ] && [ "$(row_col submit /api/v1/cases sqlite 64 11)" -gt "$QUIET" ] && v="$v (busy run)"
        printf '| Durable case submissions (3 materials, SQLite synchronous=FULL) ≥ 0.5 × raw single-row commits | %.0f ÷ %s commits/s = **%.2f**; %s jobs per group commit | %s |\n' \
            "$sub_rps" "$sq2_rate" "$(awk -v a="$sub_rps" -v b="$sq2_rate" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" \
            "$(awk -v j="$sub_sq_jobs" -v c="$sub_sq_commits" 'BEGIN {printf "%.1f", (c > 0 ? j / c : 0)}')" "$v"
        if [ "$pg_done" = 1 ] && [ -n "${pgb_tps:-}" ]; then
            sub_pg=$(row_col submit /api/v1/cases pg 64 6)
            printf '| Durable case submissions (PostgreSQL, synchronous_commit=%s): report next to its raw single-row commits | %.0f ÷ %.0f commits/s (pgbench, 1 client) = **%.2f**; %s jobs per group commit | reported |\n' \
                "$pg_sync" "$sub_pg" "$pgb_tps" "$(awk -v a="$sub_pg" -v b="$pgb_tps" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" \
                "$(awk -v j="$sub_pg_jobs" -v c="$sub_pg_commits" 'BEGIN {printf "%.1f", (c > 0 ? j / c : 0)}')"
        fi
        fr=$(awk -v a="$flow_best" -v b="$bpmn_mean" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
        ok=$(awk -v r="$fr" 'BEGIN {print (r >= 4) ? 1 : 0}')
        v=$(met "$ok")
        fo=$(rv "flows-c$flow_best_c" 5); bo=$(awk -v a="$(rv bpmn-1 5)" -v b="$(rv bpmn-2 5)" 'BEGIN {printf "%.0f", (a > b ? a : b)}')
        [ "$ok" = 0 ] && { [ "${fo%.*}" -gt "$QUIET" ] || [ "$bo" -gt "$QUIET" ]; } && v="$v (busy runs)"
        printf '| Full flows/s (submit → accept → 2 parallel approvals → approved; durable, SQLite) ≥ 4 × bpmn-engine in memory | %s flows/s (best of concurrency %s: at %s) ÷ %s instances/s = **%s** | %s |\n' \
            "$flow_best" "$(echo "$FLOW_CONC" | tr ' ' '/')" "$flow_best_c" "$bpmn_mean" "$fr" "$v"
        if [ "$sq_scale_done" = 1 ]; then
            for c in "$SCALE_C_LOW" "$WRK_C"; do
                target_p99 queue /api/v1/tasks sqlite "$c" "Reviewer queue GET /api/v1/tasks (XH-SCJ), $sq_scale_cases cases, SQLite, $c connections"
                target_p99 casepage "/api/v1/cases/{no}" sqlite "$c" "Case page GET /api/v1/cases/{no} (clerk), $sq_scale_cases cases, SQLite, $c connections"
                target_p99 taskstats /api/v1/tasks/stats sqlite "$c" "Counts by light GET /api/v1/tasks/stats (supervisor, all departments), $sq_scale_cases cases, SQLite, $c connections"
                target_p99 queueall /api/v1/tasks sqlite "$c" "All-departments queue GET /api/v1/tasks (supervisor), $sq_scale_cases cases, SQLite, $c connections"
            done
        fi
        if [ "$pg_scale_done" = 1 ]; then
            for c in "$SCALE_C_LOW" "$WRK_C"; do
                target_p99 queue /api/v1/tasks pg "$c" "Reviewer queue, $pg_scale_cases cases, PostgreSQL, $c connections"
                target_p99 casepage "/api/v1/cases/{no}" pg "$c" "Case page, $pg_scale_cases cases, PostgreSQL, $c connections"
                target_p99 taskstats /api/v1/tasks/stats pg "$c" "Counts by light GET /api/v1/tasks/stats (supervisor), $pg_scale_cases cases, PostgreSQL, $c connections"
                target_p99 queueall /api/v1/tasks pg "$c" "All-departments queue (supervisor), $pg_scale_cases cases, PostgreSQL, $c connections"
            done
        fi
    fi
    if want licenses; then
        r1=$(awk -v a="$lv_lib" -v b="$ossl_verify" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
        r2=$(awk -v a="$lv_lib" -v b="$lv_raw" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
        ok=$(awk -v r="$r1" 'BEGIN {print (r >= 0.7) ? 1 : 0}')
        v=$(met "$ok"); [ "$ok" = 0 ] && [ "$(rv libverify 5)" -gt "$QUIET" ] && v="$v (busy run)"
        printf '| License verification through the library call ≥ 0.7 × raw SM2 verify (1 core) | %.0f ÷ %.0f/s (openssl speed) = **%s**; ÷ %.0f/s (lib_verify raw loop) = %s | %s |\n' \
            "$lv_lib" "$ossl_verify" "$r1" "$lv_raw" "$r2" "$v"
        lvr=$(row_col lverify /api/v1/licenses/verify sqlite 64 6)
        lvc=$(row_col lverify /api/v1/licenses/verify sqlite 64 12)
        printf '| Verifications/s through the API (64 connections): report next to raw | %.0f/s = %.2f × raw × %d cores; per server CPU-s %.2f × raw | reported |\n' \
            "$lvr" "$(awk -v a="$lvr" -v b="$ossl_verify" -v n="$m_nproc" 'BEGIN {printf "%.2f", a / (b * n)}')" "$m_nproc" \
            "$(awk -v a="$lvr" -v c="$lvc" -v b="$ossl_verify" 'BEGIN {printf "%.2f", (c > 0 ? a / c / b : 0)}')"
        printf '| Verifications/s through `ywtb verify license` (one process each, start included): report | %s/s = %.3f × raw | reported |\n' \
            "$cli_rate" "$(awk -v a="$cli_rate" -v b="$ossl_verify" 'BEGIN {printf "%.3f", a / b}')"
        lir=$(row_col lissue /api/v1/licenses sqlite 64 6)
        printf '| Issuing rate through the API (POST /api/v1/licenses, 64 connections): report | %.0f licenses/s (%d issued in the measured run) | reported |\n' "$lir" "$issue_rows"
        printf '| Bulk import of %d licenses (`ywtb import licenses`, NDJSON, SQLite): report | %.1f s = %s licenses/s (%.2f × raw SM2 sign/s, 1 core) | reported |\n' \
            "$import_rows" "$(rv import 2)" "$import_rate" "$(awk -v a="$import_rate" -v b="$ossl_sign" 'BEGIN {printf "%.2f", a / b}')"
    fi
    echo

    # ---- HTTP
    if want http; then
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
        echo "processes, hypervisor steal); on PostgreSQL rows the database's processes are counted apart (\"+ db\"). When other CPU is high"
        echo "the two servers did not get the same machine; req/s per server CPU-second is then the steadier"
        echo "comparison. \"load1 before\" and \"waited\": the machine before the run (see Run conditions)."
        echo
        wrk_table http
        echo
    fi

    # ---- catalog
    if want catalog; then
        echo "### Catalog and identity (issue 3)"
        echo
        echo "Item guide: \`GET $guide_path\` ($guide_bytes bytes, from the in-memory catalog snapshot;"
        echo "ywtb sends \`Cache-Control: $guide_cache\`) and \`GET /api/v1/me\` as the demo citizen with"
        echo "\`Authorization: Bearer\` ($me_bytes bytes; the session and the caller's /me body come from the node's"
        echo "session cache, src/identity/cache.c, which reads the database again after session_cache_ms = 5 s and"
        echo "whenever the account changes; the \`ywtb-nocache\` rows are a second server on the same database with"
        echo "\`--session-cache 0\`, reading the session and account on every request), each against nginx serving the same bytes as a static file (the same"
        echo "request, header included), $CAT_ROUNDS rounds alternating nginx first, \`wrk -t$WRK_T -c$WRK_C -d${DUR}s\`."
        echo "On PostgreSQL nginx serves the SQLite run's /me copy (same length: only the creation time and CSRF"
        echo "token differ). Search: bench/search.lua cycles through \`q=\` 许可 社保 户籍 护照 (two characters: the"
        echo "LIKE path), 营业执照 食品经营 居住证 (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) and"
        echo "许可\`&target=person\`, at 64 connections."
        echo
        wrk_table guide me search
        echo
        echo "#### Argon2id and login"
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
    fi

    # ---- cases
    if want cases; then
        echo "### Cases (issue 4)"
        echo
        echo "#### Durable submissions"
        echo
        echo "\`POST /api/v1/cases\` as the demo citizen (Bearer) for $SUBMIT_ITEM (a person item with 3 required"
        echo "materials, none of which only an e-license satisfies), its 3 required form fields and 3 materials"
        echo "pointing at one PDF uploaded before the run; no Idempotency-Key, so every request creates a case."
        echo "bench/post_json.lua, \`wrk -t$WRK_T -c$WRK_C -d${DUR}s\` after a ${WARM} s warm-up; every 201 is sent after the"
        echo "durable COMMIT that holds the case (the access log is on). Jobs per group commit: the change of"
        echo "\`ywtb_db_group_jobs_total\` ÷ \`ywtb_db_group_commits_total\` (/metrics) over the measured run."
        echo "The yardsticks ran just before: bench/sqlite_commit.c (WAL, \`synchronous=FULL\`, one INSERT per"
        echo "\`BEGIN IMMEDIATE … COMMIT\`, one thread, 5 s) on the same file system; on PostgreSQL"
        echo "\`pgbench -c 1 -T 5\` with one INSERT per transaction (\`synchronous_commit=${pg_sync:-?}\`, \`fsync=${pg_fsync:-?}\`)."
        echo "The database held $sq_cases cases at the end of the SQLite runs."
        echo
        echo "| engine | raw single-row commits/s | raw p50 / p99 or latency | submissions/s | p50 | p99 | errors | ratio to raw | group commits | jobs | jobs per commit | server CPU | other CPU |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        awk -F'\t' -v raw="$sq2_rate" -v rl="$(us_ms "$sq2_p50_us") / $(us_ms "$sq2_p99_us")" -v g="$sub_sq_commits" -v j="$sub_sq_jobs" \
            '$1 == "submit" && $3 == "sqlite" {printf "| SQLite | %s | %s | %.0f | %.2f ms | %.2f ms | %d | **%.2f** | %d | %d | %.1f | %.2f | %s%% |\n",
            raw, rl, $6, $7 / 1000, $8 / 1000, $10, (raw > 0 ? $6 / raw : 0), g, j, (g > 0 ? j / g : 0), $12, $11}' "$results"
        if [ "$pg_done" = 1 ] && [ -n "${pgb_tps:-}" ]; then
            awk -F'\t' -v raw="$pgb_tps" -v rl="${pgb_lat} ms average" -v g="$sub_pg_commits" -v j="$sub_pg_jobs" \
                '$1 == "submit" && $3 == "pg" {printf "| PostgreSQL | %.0f | %s | %.0f | %.2f ms | %.2f ms | %d | **%.2f** | %d | %d | %.1f | %.2f | %s%% |\n",
                raw, rl, $6, $7 / 1000, $8 / 1000, $10, (raw > 0 ? $6 / raw : 0), g, j, (g > 0 ? j / g : 0), $12, $11}' "$results"
        fi
        echo
        echo "SQLite's commit rate at the start of the run, before any HTTP load: $sq_rate/s (p50 $(us_ms "$sq_p50_us"), p99 $(us_ms "$sq_p99_us"), other CPU $sq_other%);"
        echo "just before the submissions: $sq2_rate/s (other CPU $sq2_other%). The commit rate waits on the disk, so other"
        echo "processes' disk writes (not visible as CPU) lower it."
        echo
        echo "For the capacity model (docs/ARCHITECTURE.md, issue 17), per durable submission in the runs above:"
        echo "CPU of the ywtb process and of PostgreSQL's processes per submission (cores ÷ submissions/s), and"
        echo "PostgreSQL's WAL per case (\`pg_current_wal_lsn()\` before and after, ÷ the cases the run made)."
        echo
        echo "| engine | ywtb CPU per submission | database CPU per submission | WAL per case |"
        echo "| --- | ---: | ---: | ---: |"
        awk -F'\t' -v wal="${pg_wal_per_case:-}" '$1 == "submit" {
            printf "| %s | %.3f ms | %s | %s |\n", ($3 == "pg" ? "PostgreSQL" : "SQLite"), ($6 > 0 ? $12 / $6 * 1000 : 0),
                ($3 == "pg" ? sprintf("%.3f ms", ($6 > 0 ? $17 / $6 * 1000 : 0)) : "(in process)"),
                ($3 == "pg" && wal != "" ? wal " bytes" : "-")}' "$results"
        echo
        echo "#### Full flows against bpmn-engine"
        echo
        echo "\`node bench/flows/ywtb.mjs URL $FLOW_S C\`: C concurrent loops, each submitting CL-07-0001 as the"
        echo "citizen, accepting it as the window clerk and approving its two review tasks (XH-CL and XH-WJW) in"
        echo "parallel until the case is approved - 4 durable requests per flow, on SQLite with the access log on."
        echo "\`node bench/flows/bpmn.mjs $FLOW_S 16\`: bpmn-engine $m_bpmn running the same fork/join process in memory,"
        echo "before and after the ywtb runs (the yardstick is their mean). The node client shares the $m_nproc cores"
        echo "with the server; bpmn-engine runs in one node process."
        echo
        echo "| run | rate | wall | client CPU (cores) | server CPU (cores) | other CPU |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: |"
        runs_row bpmn-1 "bpmn-engine, 16 concurrent (before)" "$(flow_rate bpmn-1) instances/s"
        for c in $FLOW_CONC; do
            runs_row "flows-c$c" "ywtb, concurrency $c" "$(flow_rate "flows-c$c") flows/s"
        done
        runs_row bpmn-2 "bpmn-engine, 16 concurrent (after)" "$(flow_rate bpmn-2) instances/s"
        echo
        echo "Best: concurrency $flow_best_c, $flow_best flows/s ($(awk -v f="$flow_best" 'BEGIN {printf "%.0f", f * 4}') requests/s) = $(awk -v a="$flow_best" -v b="$bpmn_mean" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}') × bpmn-engine's $bpmn_mean instances/s."
        echo
        if [ "$sq_scale_done" = 1 ] || [ "$pg_scale_done" = 1 ]; then
            echo "#### Reviewer queue and case page at scale"
            echo
            echo "A database seeded with \`ywtb seed --demo\`, then generated data:"
            [ "$sq_scale_done" = 1 ] && echo "SQLite: \`$sq_scale_how\` ($sq_scale_cases cases, $sq_scale_pending pending XH-SCJ review tasks, $(awk -v b="$sq_scale_bytes" 'BEGIN {printf "%.0f", b / 1048576}') MiB; generated in $(rv seed-sqlite 2) s)."
            [ "$pg_scale_done" = 1 ] && echo "PostgreSQL: \`$pg_scale_how\` ($pg_scale_cases cases, $pg_scale_pending pending XH-SCJ review tasks; generated in $(rv seed-pg 2) s, then \`VACUUM ANALYZE\` and \`CHECKPOINT\`)."
            [ -n "${sq_scale_note:-}${pg_scale_note:-}" ] && echo "**Note**: ${sq_scale_note:-$pg_scale_note}; the harness then generated the cases with \`--scale small\` (2,000 citizens and 1,000 companies as applicants) on a fresh demo database."
            echo "\`GET /api/v1/tasks\` as the demo reviewer (XH-SCJ; the default page of 50, sorted by days left) and"
            echo "\`GET /api/v1/cases/{no}\` as the window clerk cycling through 1,000 case numbers spread over the"
            echo "whole table (bench/paths.lua), at $SCALE_C_LOW connections (a department's reviewers) and at $WRK_C. At $WRK_C"
            echo "connections on $m_nproc cores a p99 under 20 ms needs the server to answer about 64 ÷ 0.02 s ≈ 3,200 requests/s"
            echo "with little spread (requests queue behind each other); at $SCALE_C_LOW it measures the request itself."
            echo
            wrk_table queue casepage
            echo
        fi
    fi

    # ---- licenses
    if want licenses; then
        echo "### E-licenses (issue 5)"
        echo
        echo "A 营业执照 (LT-001) issued in this run by the demo reviewer (XH-SCJ) to $COMPANY; its document"
        echo "(\`GET /api/v1/licenses/{id}/document\`, $lic_doc_bytes bytes) is verified"
        echo "- through the API: \`POST /api/v1/licenses/verify\` \`{\"document\": …}\`, bench/post_json.lua, \`wrk -t$WRK_T -c$WRK_C\`."
        echo "  The route is rate-limited per client address (130 requests in a row from one address: $verify_rl_ok answered"
        echo "  200, $verify_rl_429 answered 429), so this run goes to a second server on the same database started with"
        echo "  \`--trust-proxy true\` and every request carries another \`X-Forwarded-For\` address (verifiers"
        echo "  arriving through nginx from many addresses);"
        echo "- through the library call: build/bench/lib_verify on the same document and published keys"
        echo "  (\`yw_lic_verify_offline\`: look the key up, check identifier, issuer, signature over the canonical"
        echo "  bytes, dates), 3 s on one core, next to its raw loop (\`yw_sm2_verify\` of the same bytes with the"
        echo "  key parsed and the canonical bytes made once);"
        echo "- through the command: \`ywtb verify license DOC --keys KEYS\` one process after another for 5 s."
        echo "The yardstick: \`openssl speed -seconds 3 sm2\` (OpenSSL's own loop, one core)."
        echo
        echo "| what | per second | ratio to openssl verify/s | wall | CPU (cores) | other CPU |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: |"
        printf '| openssl speed sm2: verify | %.0f | 1 | %.1f s | %s | %s%% |\n' "$ossl_verify" "$(rv openssl 2)" "$(rv openssl 3)" "$(rv openssl 5)"
        printf '| openssl speed sm2: sign | %.0f | | | | |\n' "$ossl_sign"
        printf '| lib_verify raw loop (yw_sm2_verify) | %.0f | %.2f | %.1f s | %s | %s%% |\n' "$lv_raw" \
            "$(awk -v a="$lv_raw" -v b="$ossl_verify" 'BEGIN {printf "%.2f", a / b}')" "$(rv libverify 2)" "$(rv libverify 3)" "$(rv libverify 5)"
        printf '| library call (yw_lic_verify_offline) | %.0f | **%.2f** | | | |\n' "$lv_lib" \
            "$(awk -v a="$lv_lib" -v b="$ossl_verify" 'BEGIN {printf "%.2f", a / b}')"
        printf '| ywtb verify license (a process each) | %s | %.3f | %.1f s | %s | %s%% |\n' "$cli_rate" \
            "$(awk -v a="$cli_rate" -v b="$ossl_verify" 'BEGIN {printf "%.3f", a / b}')" "$(rv cli 2)" "$(rv cli 3)" "$(rv cli 5)"
        echo
        echo "Through the API, and issuing: \`POST /api/v1/licenses\` as the reviewer, bench/license_issue.lua: a"
        echo "营业执照 with its 8 fields for a new holder each time (valid credit codes 91310104MB…, GB 32100 check"
        echo "characters computed in Lua); each issue signs with the department's SM2 key and commits."
        if [ "$issue_commits" -gt 0 ]; then
            echo "Issuing went through the group commit: $issue_jobs jobs in $issue_commits commits ($(awk -v j="$issue_jobs" -v c="$issue_commits" 'BEGIN {printf "%.1f", j / c}') per commit) over the measured run."
        else
            echo "Issuing does not go through the group commit (no group commits during the measured run): one durable commit per license."
        fi
        echo
        wrk_table lverify lissue
        echo
        echo "Bulk import: $import_rows LT-001 licenses as NDJSON (valid credit codes 91310104MC…, 8 fields each),"
        echo "\`ywtb import licenses FILE --db URL --secret-key-file KEY\` into the server's SQLite database (the server"
        echo "idle), timed from process start: $(rv import 2) s = **$import_rate licenses/s**, $(rv import 3) cores"
        echo "(one signature each: OpenSSL signs $ossl_sign/s on one core, so signing alone takes"
        echo "$(awk -v n="$import_rows" -v s="$ossl_sign" 'BEGIN {printf "%.1f", n / s}') s of it)."
        echo
    fi

    # ---- memory and start-up
    if want http; then
        echo "### Memory (VmRSS of ywtb from /proc/PID/status)"
        echo
        echo "| when | VmRSS | peak so far (VmHWM) |"
        echo "| --- | ---: | ---: |"
        echo "| SQLite, idle: started, no request yet | $(mib "$rss_idle") MiB | |"
        echo "| SQLite, after the HTTP runs above (access log on) | $(mib "$rss_http") MiB | $(mib "$hwm_http") MiB |"
        echo "| SQLite, after the HTTP runs above (access log off) | $(mib "$rss_nolog") MiB | |"
        [ -n "${rss_login:-}" ] && echo "| SQLite, after the login run | $(mib "$rss_login") MiB | $(mib "$hwm_login") MiB |"
        [ -n "${rss_end:-}" ] && echo "| SQLite, after every run on it (catalog, licenses, cases) | $(mib "$rss_end") MiB | $(mib "$hwm_end") MiB |"
        [ -n "${rss_scale:-}" ] && echo "| SQLite with $sq_scale_cases cases, after the queue and case-page runs | $(mib "$rss_scale") MiB | |"
        [ -n "${rss_pg:-}" ] && echo "| PostgreSQL, after the HTTP runs | $(mib "$rss_pg") MiB | |"
        [ -n "${rss_pg_login:-}" ] && echo "| PostgreSQL, after the login run | $(mib "$rss_pg_login") MiB | $(mib "$hwm_pg_login") MiB |"
        echo
        echo "An Argon2id check maps $(mib $((PWHASH_MEM / 1024))) MiB while it runs (libsodium mmaps and unmaps it each time),"
        echo "at most one per worker thread: during concurrent logins the peak is about the resting size plus"
        echo "$THREADS × that (and grows with \`--threads\`, which defaults to the number of cores). The access log"
        echo "of the SQLite HTTP runs: $alog_lines lines, $(awk -v b="$alog_bytes" 'BEGIN {printf "%.0f", b / 1048576}') MiB."
        echo
        echo "### Start-up"
        echo
        echo "Wall time from spawn of \`ywtb serve\` until \`GET /readyz\` answers 200 (bench/startup.c polls every"
        echo "0.5 ms), $STARTS starts on an already-migrated database, \`--access-log off\`."
        echo
        echo "| database | median | max | min | CPU until ready (median) |"
        echo "| --- | ---: | ---: | ---: | ---: |"
        echo "| SQLite | $st_med ms | $st_max ms | $st_min ms | $st_cpu ms |"
        [ -n "${pst_med:-}" ] && echo "| PostgreSQL (127.0.0.1) | $pst_med ms | $pst_max ms | $pst_min ms | $pst_cpu ms |"
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
    fi
    # the modules' own figures (bench/<module>.sh prints its section)
    for m in $MODULE_PARTS; do
        want "$m" && [ -f "$here/$m.sh" ] || continue
        log "module $m: bench/$m.sh"
        echo "### $m (bench/$m.sh)"
        echo
        bash "$here/$m.sh" "$BUILD" 2>"$tmp/bench-$m.err" || echo "bench/$m.sh failed (status $?): $(tail -n 3 "$tmp/bench-$m.err" | tr '\n' ' ')"
        echo
    done
} >"$gen"

write_out "$gen"
cp "$results" "$tmp/results-final.tsv"
log "done in $(($(date +%s) - t_start)) s: $OUT"
