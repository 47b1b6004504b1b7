#!/usr/bin/env bash
# scripts/test.sh BUILD [unit|api|api-nodes|e2e|all] - run ywtb's tests against the build in BUILD.
#
#   unit  every executable BUILD/tests/test_* (cmocka), from the repository top,
#         and the module rules over src/ (scripts/check-modules.mjs, tests/modules/)
#         and the tools' tests (tests/tools/: bench/repeat.mjs)
#   api   the black-box HTTP tests (node --test tests/api/) against BUILD/ywtb,
#         once on SQLite and once on PostgreSQL
#   api-nodes the same API tests once more on PostgreSQL, each test file's server
#         being three ywtb nodes on one database behind a local nginx (round
#         robin: any request may land on any node; YWTB_TEST_NODES, harness.js)
#   e2e   the browser tests (node --test tests/e2e/, Debian's chromium)
#   all   all of them (the default; api-nodes only when PostgreSQL is there)
#
# PostgreSQL: when YWTB_TEST_PG_ADMIN is not set and PostgreSQL's server
# binaries are installed, a throw-away cluster is started (scripts/pgtest.sh)
# and stopped again on exit; YWTB_TEST_PG_ADMIN=postgresql://... uses yours.
# YWTB_TEST_NO_PG=1 runs without PostgreSQL.  YWTB_TEST_JOBS sets how many
# API test files run at once (default: the number of cores, 2 to 4).
# YWTB_TEST_FILES="tests/api/datahub*.test.js tests/e2e/datahub.test.js" runs
# only those files of each suite (a module's own, while it is being built;
# `make test` always runs every file).
#
# Read replica and rolling upgrade (issue 17): with the throw-away cluster,
# `api` and `all` also run tests/scaleout/replica.test.js against a streaming
# replica of it (scripts/pgtest.sh replica-start) and
# tests/scaleout/upgrade.test.js against the previous version built from git
# (scripts/build-previous.sh); YWTB_TEST_NO_SCALEOUT=1 leaves them out.
#
# Prints one summary line per suite and a total; exits non-zero when any
# test failed or a suite could not run.
set -uo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"

build="${1:-build}"
what="${2:-all}"
case "$what" in
unit | api | api-nodes | e2e | all) ;;
*)
    echo "usage: $0 BUILD [unit|api|api-nodes|e2e|all]" >&2
    exit 2
    ;;
esac
case "$build" in
/*) ;;
*) build="$here/$build" ;;
esac

summary=()
total_pass=0
total_fail=0
status=0

section() {
    printf '\n==== %s ====\n' "$*"
}

record() { # name passed failed [note]
    local line="$1: $2 passed, $3 failed"
    summary+=("$line${4:+ ($4)}")
    total_pass=$((total_pass + $2))
    total_fail=$((total_fail + $3))
    [ "$3" -eq 0 ] || status=1
}

# ---- PostgreSQL ----
pg_started=""
pg_state=""
bin_dir=""
api_bin=""
cleanup() {
    if [ -n "$bin_dir" ]; then
        rm -rf "$bin_dir"
        bin_dir=""
    fi
    if [ -n "$pg_started" ]; then
        YWTB_PGTEST_STATE="$pg_state" bash "$here/scripts/pgtest.sh" stop || true
        pg_started=""
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

have_pg_server() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

if [ -z "${YWTB_TEST_PG_ADMIN:-}" ] && [ -z "${YWTB_TEST_NO_PG:-}" ] && have_pg_server; then
    section "PostgreSQL: starting a throw-away cluster"
    mkdir -p "$build"
    pg_state="$build/pgtest.$$.env"
    if url="$(YWTB_PGTEST_STATE="$pg_state" bash "$here/scripts/pgtest.sh" start)"; then
        pg_started=1
        export YWTB_TEST_PG_ADMIN="$url"
        echo "PostgreSQL at $url"
    else
        pg_started=1 # stop whatever half-started
        echo "test: PostgreSQL is installed but did not start" >&2
        record "postgresql" 0 1 "the test cluster did not start"
    fi
fi

# Sanitizer builds: third-party leaks that ywtb cannot fix are suppressed by
# library (tests/lsan.supp); everything else fails the run.
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$here/tests/lsan.supp:print_suppressions=0}"

# ---- unit ----
run_unit() {
    section "unit tests ($build/tests)"
    local pass=0 fail=0 t out rc p f
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    shopt -s nullglob
    local tests=("$build"/tests/test_*)
    shopt -u nullglob
    local ran=0
    for t in "${tests[@]}"; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        case "$t" in *.o | *.d | *.c) continue ;; esac
        ran=$((ran + 1))
        echo "--- $(basename "$t")"
        out="$(mktemp)"
        timeout 900 "$t" >"$out" 2>&1
        rc=$?
        cat "$out"
        # cmocka: "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)"
        p="$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')"
        f="$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')"
        rm -f "$out"
        if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1 # crashed, sanitizer report, or timeout: the binary failed
            echo "!!! $(basename "$t") exited with status $rc"
        fi
        if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
            p=1 # not cmocka output: the exit status is the result
        fi
        pass=$((pass + p))
        fail=$((fail + f))
    done
    if [ "$ran" -eq 0 ]; then
        echo "no unit test binaries in $build/tests"
    fi
    record "unit" "$pass" "$fail"
}

# ---- api ----
api_ready=""
prepare_api() {
    [ -n "$api_ready" ] && return 0
    if ! command -v node >/dev/null 2>&1; then
        echo "test: node is not installed (bash scripts/deps.sh)" >&2
        return 1
    fi
    if [ ! -d "$here/node_modules" ]; then
        bash "$here/scripts/deps.sh" || return 1
    fi
    if [ ! -x "$build/ywtb" ]; then
        echo "test: $build/ywtb is missing (make all)" >&2
        return 1
    fi
    # test a private copy: a rebuild during the run (another make in the same
    # tree) must not swap the binary between the SQLite and PostgreSQL passes
    bin_dir="$(mktemp -d "${TMPDIR:-/tmp}/ywtb-testbin.XXXXXX")" || return 1
    cp "$build/ywtb" "$bin_dir/ywtb" || return 1
    api_bin="$bin_dir/ywtb"
    api_ready=1
}

api_jobs() {
    if [ -n "${YWTB_TEST_JOBS:-}" ]; then
        echo "$YWTB_TEST_JOBS"
        return
    fi
    local n
    n="$(nproc 2>/dev/null || echo 2)"
    [ "$n" -lt 2 ] && n=2
    [ "$n" -gt 4 ] && n=4
    echo "$n"
}

# node --test over DIR with the spec reporter on stdout and TAP counted for
# the summary; extra arguments are VAR=value settings for the run.
run_node() { # name concurrency dir [VAR=value ...]
    local name="$1" conc="$2" dir="$3"
    shift 3
    local tap="$build/$name.tap"
    mkdir -p "$build"
    rm -f "$tap"
    local targets=("$dir") f
    if [ -n "${YWTB_TEST_FILES:-}" ]; then
        targets=()
        for f in $YWTB_TEST_FILES; do
            case "$f" in "$dir"*) targets+=("$f") ;; esac
        done
        if [ "${#targets[@]}" -eq 0 ]; then
            summary+=("$name: skipped (none of YWTB_TEST_FILES is in $dir)")
            return
        fi
    fi
    env "$@" node --test --test-concurrency="$conc" \
        --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$tap" \
        "${targets[@]}"
    local rc=$?
    local p f
    p="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)"
    f="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" 2>/dev/null | tail -n1)"
    p="${p:-0}"
    f="${f:-0}"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "!!! node --test exited with status $rc"
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "!!! no test ran in $dir"
    fi
    record "$name" "$p" "$f"
}

run_api() { # engine
    section "API tests on $1"
    if ! prepare_api; then
        record "api-$1" 0 1 "could not run"
        return
    fi
    local t0=$SECONDS
    run_node "api-$1" "$(api_jobs)" tests/api/ YWTB_TEST_ENGINE="$1" YWTB_BIN="$api_bin"
    echo "api-$1: $((SECONDS - t0)) s"
}

# The whole API suite through three nodes on one PostgreSQL behind nginx
# (tests/api/harness.js starts them per server; nginx from scripts/deps.sh).
run_api_nodes() {
    local n="${YWTB_TEST_NODES:-3}"
    section "API tests on PostgreSQL, $n nodes behind nginx"
    if [ -z "${YWTB_TEST_PG_ADMIN:-}" ]; then
        summary+=("api-postgres-${n}nodes: skipped (no PostgreSQL; install it or set YWTB_TEST_PG_ADMIN)")
        return
    fi
    if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
        echo "test: nginx is not installed (bash scripts/deps.sh installs nginx-light)" >&2
        record "api-postgres-${n}nodes" 0 1 "no nginx"
        return
    fi
    if ! prepare_api; then
        record "api-postgres-${n}nodes" 0 1 "could not run"
        return
    fi
    local t0=$SECONDS
    run_node "api-postgres-${n}nodes" "$(api_jobs)" tests/api/ YWTB_TEST_ENGINE=postgres \
        YWTB_TEST_NODES="$n" YWTB_BIN="$api_bin"
    echo "api-postgres-${n}nodes: $((SECONDS - t0)) s"
}

# ---- e2e (browser) ----
run_e2e() {
    section "browser tests (chromium)"
    if ! prepare_api; then
        record "e2e" 0 1 "could not run"
        return
    fi
    local chromium="${YWTB_CHROMIUM:-/usr/bin/chromium}"
    if [ ! -x "$chromium" ]; then
        echo "test: $chromium is missing (bash scripts/deps.sh installs it)" >&2
        record "e2e" 0 1 "no chromium"
        return
    fi
    run_node e2e 1 tests/e2e/ YWTB_BIN="$api_bin"
}

# ---- module rules ----
run_modules() {
    section "module rules (scripts/check-modules.mjs)"
    run_node modules 1 tests/modules/
    section "tools (bench/repeat.mjs)"
    run_node tools 1 tests/tools/
}

# ---- scaleout: read replica and rolling upgrade (issue 17) ----
# Only the two files, once, on PostgreSQL: a streaming replica of this run's
# cluster, and the previous version built from git (build/previous).
run_scaleout() {
    local files=() f
    for f in tests/scaleout/replica.test.js tests/scaleout/upgrade.test.js; do
        if [ -z "${YWTB_TEST_FILES:-}" ] || [[ " $YWTB_TEST_FILES " == *" $f "* ]]; then
            files+=("$f")
        fi
    done
    [ "${#files[@]}" -gt 0 ] || return 0
    section "read replica and rolling upgrade on PostgreSQL"
    if [ -z "$pg_started" ] || [ -z "$pg_state" ]; then
        summary+=("scaleout: skipped (needs the throw-away cluster this script starts)")
        return 0
    fi
    if ! prepare_api; then
        record scaleout 0 1 "could not run"
        return 0
    fi
    local replica old_bin=""
    if ! replica="$(YWTB_PGTEST_STATE="$pg_state" bash "$here/scripts/pgtest.sh" replica-start)"; then
        record scaleout 0 1 "the replica did not start"
        return 0
    fi
    # built once per commit into build/previous (the plain build's objects reused;
    # a sanitizer run tests the same previous binary)
    local prev_dir="$here/build/previous"
    if [[ " ${files[*]} " == *upgrade* ]]; then
        old_bin="$(bash "$here/scripts/build-previous.sh" "$prev_dir" "$here/build" | tail -n1)" || {
            record scaleout 0 1 "the previous version did not build"
            old_bin=""
        }
    fi
    YWTB_TEST_FILES="${files[*]}" run_node scaleout 1 tests/scaleout/ YWTB_TEST_ENGINE=postgres \
        YWTB_BIN="$api_bin" YWTB_TEST_PG_REPLICA="$replica" YWTB_TEST_PG_STATE="$pg_state" \
        YWTB_TEST_OLD_BIN="$old_bin" YWTB_TEST_OLD_TREE="${old_bin:+$prev_dir/tree}"
    YWTB_PGTEST_STATE="$pg_state" bash "$here/scripts/pgtest.sh" replica-stop || true
}

if [ "$what" = unit ] || [ "$what" = all ]; then
    run_modules
    run_unit
fi
if [ "$what" = api ] || [ "$what" = all ]; then
    run_api sqlite
    if [ -n "${YWTB_TEST_PG_ADMIN:-}" ]; then
        run_api postgres
    else
        summary+=("api-postgres: skipped (no PostgreSQL; install it or set YWTB_TEST_PG_ADMIN)")
    fi
    [ -n "${YWTB_TEST_NO_SCALEOUT:-}" ] || run_scaleout
fi
if [ "$what" = api-nodes ] || [ "$what" = all ]; then
    run_api_nodes
fi
if [ "$what" = e2e ] || [ "$what" = all ]; then
    run_e2e
fi

cleanup
section "summary ($build, $what)"
for l in "${summary[@]}"; do
    echo "$l"
done
echo "total: $total_pass passed, $total_fail failed"
exit "$status"
