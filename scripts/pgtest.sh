#!/usr/bin/env bash
# scripts/pgtest.sh - a throw-away PostgreSQL cluster for the tests.
#
#   scripts/pgtest.sh start   initdb into a temp dir and start it on 127.0.0.1 at a
#                             free port (prints the URL); a no-op when the cluster
#                             of the state file is already running
#   scripts/pgtest.sh stop    stop it and delete its directory (works after a
#                             start that failed half way, and when nothing runs)
#   scripts/pgtest.sh url     print postgresql://postgres@127.0.0.1:PORT/postgres
#   scripts/pgtest.sh status  exit 0 when the cluster answers
#   scripts/pgtest.sh replica-start  a streaming replica of the running cluster
#                             (pg_basebackup -R, hot_standby) on another free port;
#                             prints its URL; a no-op when it already runs
#   scripts/pgtest.sh replica-stop   stop the replica at once (-m immediate, as a
#                             crash) and delete it; the primary runs on
#   scripts/pgtest.sh replica-url    print the replica's URL
#
# The cluster is UTF-8 with the C.UTF-8 locale (pg_trgm needs a UTF-8 locale
# for Chinese text), trusts local connections, listens on 127.0.0.1 only and
# keeps its unix socket inside its own directory.  fsync is off: the data is
# thrown away, and the tests kill ywtb, never PostgreSQL.  As root the server
# runs as the `postgres` OS user (PostgreSQL refuses to run as root).
#
# The replica lives in the cluster's directory (replica/), replays the
# primary's WAL as it streams and answers read-only queries; `stop` stops it
# too.  Replication needs nothing more from the primary: initdb -A trust lets
# local replication connections in, and wal_level=replica, max_wal_senders are
# PostgreSQL's defaults.
#
# State (directory, ports) lives in $YWTB_PGTEST_STATE, default build/pgtest.env.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
state="${YWTB_PGTEST_STATE:-$here/build/pgtest.env}"

die() {
    echo "pgtest: $*" >&2
    exit 1
}

pgbin() {
    local d
    # newest major version first
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

# Run a PostgreSQL program as the cluster's OS user.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

load_state() {
    PGT_DIR="" PGT_PORT="" PGT_RPORT=""
    if [ -f "$state" ]; then
        # only the keys we wrote; never source arbitrary content
        PGT_DIR="$(sed -n 's/^PGT_DIR=//p' "$state" | head -n1)"
        PGT_PORT="$(sed -n 's/^PGT_PORT=//p' "$state" | head -n1)"
        PGT_RPORT="$(sed -n 's/^PGT_RPORT=//p' "$state" | head -n1)"
    fi
}

write_state() {
    mkdir -p "$(dirname "$state")"
    printf 'PGT_DIR=%s\nPGT_PORT=%s\nPGT_RPORT=%s\n' "$PGT_DIR" "$PGT_PORT" "${PGT_RPORT:-}" \
        >"$state.tmp"
    mv "$state.tmp" "$state"
}

port_in_use() {
    # a connection that succeeds means someone listens there
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local p i
    for i in $(seq 1 200); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! port_in_use "$p"; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

running() {
    load_state
    [ -n "$PGT_DIR" ] && [ -n "$PGT_PORT" ] && [ -f "$PGT_DIR/data/postmaster.pid" ] || return 1
    local bin
    bin="$(pgbin)" || return 1
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGT_PORT" -t 5 >/dev/null 2>&1
}

# Stop the postmaster of data directory $1 at once (pg_ctl, else by its pid).
stop_cluster() {
    local data="$1" bin pid
    [ -f "$data/postmaster.pid" ] || return 0
    bin="$(pgbin)" || return 0
    as_pg "$bin/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    pid="$(head -n1 "$data/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        sleep 1
        kill -KILL "$pid" 2>/dev/null || true
    fi
}

cmd_replica_stop() {
    load_state
    if [ -n "$PGT_DIR" ] && [ -d "$PGT_DIR/replica" ]; then
        stop_cluster "$PGT_DIR/replica"
        rm -rf "$PGT_DIR/replica"
    fi
    if [ -n "$PGT_RPORT" ]; then
        PGT_RPORT=""
        write_state
    fi
}

replica_running() {
    load_state
    [ -n "$PGT_RPORT" ] && [ -f "$PGT_DIR/replica/postmaster.pid" ] || return 1
    local bin
    bin="$(pgbin)" || return 1
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGT_RPORT" -t 5 >/dev/null 2>&1
}

cmd_replica_start() {
    if replica_running; then
        echo "postgresql://postgres@127.0.0.1:$PGT_RPORT/postgres"
        return 0
    fi
    running || die "no cluster runs (run: $0 start)"
    cmd_replica_stop # leftovers of an earlier, half-finished start
    load_state
    local bin
    bin="$(pgbin)" || die "no PostgreSQL server binaries found"
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$PGT_PORT" -U postgres -D "$PGT_DIR/replica" \
        -R -X stream -c fast >"$PGT_DIR/basebackup.log" 2>&1 || {
        cat "$PGT_DIR/basebackup.log" >&2
        die "pg_basebackup failed"
    }
    local try
    for try in 1 2 3 4 5; do
        PGT_RPORT="$(pick_port)" || die "no free port found"
        write_state
        if as_pg "$bin/pg_ctl" -D "$PGT_DIR/replica" -l "$PGT_DIR/replica.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PGT_RPORT -k $PGT_DIR/sock -c hot_standby=on -c fsync=off -c full_page_writes=off -c max_connections=200 -c hot_standby_feedback=on" \
            start >/dev/null 2>&1; then
            echo "postgresql://postgres@127.0.0.1:$PGT_RPORT/postgres"
            return 0
        fi
        as_pg "$bin/pg_ctl" -D "$PGT_DIR/replica" -m immediate -w stop >/dev/null 2>&1 || true
    done
    tail -n 20 "$PGT_DIR/replica.log" >&2 2>/dev/null || true
    die "the replica did not start (log above)"
}

cmd_stop() {
    load_state
    if [ -n "$PGT_DIR" ] && [ -d "$PGT_DIR/replica" ]; then
        stop_cluster "$PGT_DIR/replica"
    fi
    if [ -n "$PGT_DIR" ] && [ -d "$PGT_DIR" ]; then
        local bin
        if [ -f "$PGT_DIR/data/postmaster.pid" ] && bin="$(pgbin)"; then
            as_pg "$bin/pg_ctl" -D "$PGT_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
            # still there (pg_ctl failed)? end that one postmaster by its pid
            local pid
            pid="$(head -n1 "$PGT_DIR/data/postmaster.pid" 2>/dev/null || true)"
            if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
                kill -QUIT "$pid" 2>/dev/null || true
                sleep 1
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        case "$PGT_DIR" in
        */ywtb-pgtest.*) rm -rf "$PGT_DIR" ;;
        *) echo "pgtest: not deleting unexpected directory '$PGT_DIR'" >&2 ;;
        esac
    fi
    rm -f "$state" "$state.tmp"
}

cmd_start() {
    if running; then
        echo "postgresql://postgres@127.0.0.1:$PGT_PORT/postgres"
        return 0
    fi
    cmd_stop # leftovers of an earlier, half-finished start
    local bin
    bin="$(pgbin)" || die "no PostgreSQL server binaries (initdb, pg_ctl) found; install postgresql"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user"
        command -v runuser >/dev/null 2>&1 || die "running as root but 'runuser' is missing"
    fi
    PGT_DIR="$(mktemp -d "${TMPDIR:-/tmp}/ywtb-pgtest.XXXXXX")"
    PGT_PORT=""
    PGT_RPORT=""
    write_state # from here on `stop` can clean up
    chmod 0700 "$PGT_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PGT_DIR"
    as_pg "$bin/initdb" -D "$PGT_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 -A trust \
        >"$PGT_DIR/initdb.log" 2>&1 || {
        cat "$PGT_DIR/initdb.log" >&2
        die "initdb failed"
    }
    as_pg mkdir -p "$PGT_DIR/sock"
    local try
    for try in 1 2 3 4 5; do
        PGT_PORT="$(pick_port)" || die "no free port found"
        write_state
        if as_pg "$bin/pg_ctl" -D "$PGT_DIR/data" -l "$PGT_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PGT_PORT -k $PGT_DIR/sock -c fsync=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null 2>&1; then
            echo "postgresql://postgres@127.0.0.1:$PGT_PORT/postgres"
            return 0
        fi
        # lost a race for the port? try another; any other failure repeats and ends below
        as_pg "$bin/pg_ctl" -D "$PGT_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    done
    tail -n 20 "$PGT_DIR/server.log" >&2 2>/dev/null || true
    die "PostgreSQL did not start (log above)"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
url)
    load_state
    [ -n "$PGT_PORT" ] || die "no cluster (run: $0 start)"
    echo "postgresql://postgres@127.0.0.1:$PGT_PORT/postgres"
    ;;
status) running ;;
replica-start) cmd_replica_start ;;
replica-stop) cmd_replica_stop ;;
replica-url)
    load_state
    [ -n "$PGT_RPORT" ] || die "no replica (run: $0 replica-start)"
    echo "postgresql://postgres@127.0.0.1:$PGT_RPORT/postgres"
    ;;
*)
    echo "usage: $0 start|stop|url|status|replica-start|replica-stop|replica-url" >&2
    exit 2
    ;;
esac
