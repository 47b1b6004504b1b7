#!/usr/bin/env bash
# bench/profile_flow.sh BUILD [SECONDS] [CONCURRENCY] - where a full flow's
# instructions go (issue 19): `ywtb serve` on a fresh `seed --demo` SQLite
# database under `valgrind --tool=callgrind`, `node bench/flows/ywtb.mjs` for
# SECONDS (default 60) at CONCURRENCY (default 4), then the inclusive
# instructions of the request handlers, the event subscribers (synchronous and
# after the commit) and the hold providers, with their calls.  Instructions do
# not depend on what else loads the machine, so two builds profiled on a busy
# machine compare; divide by the flows the client printed.  Not part of
# bench/run.sh (callgrind runs the server ~50 times slower).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
SECONDS_RUN="${2:-60}"
CONC="${3:-4}"
for tool in valgrind callgrind_annotate node curl python3; do
    command -v "$tool" >/dev/null || { echo "profile_flow: $tool is missing" >&2; exit 2; }
done
tmp="$(mktemp -d /tmp/ywtb-profile.XXXXXX)"
cp "$BUILD/ywtb" "$tmp/ywtb"
cd "$root"
"$tmp/ywtb" seed --demo --db "sqlite:$tmp/y.db" --secret-key-file "$tmp/key" >"$tmp/seed.log" 2>&1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" "$tmp/ywtb" serve --db "sqlite:$tmp/y.db" \
    --listen "127.0.0.1:$port" --threads 2 --web-root web --secret-key-file "$tmp/key" --log-level warn \
    >"$tmp/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
node bench/flows/ywtb.mjs "http://127.0.0.1:$port" "$SECONDS_RUN" "$CONC"
kill -TERM "$pid"
wait "$pid" || true
trap - EXIT
echo "callgrind output: $tmp/cg.out"
callgrind_annotate --inclusive=yes --tree=calling --threshold=100 "$tmp/cg.out" 2>/dev/null |
    awk '/\*  .*(events\.c:yw_events_publish|events\.c:dispatch_tx|apply\.c:yw_case__create|review\.c:yw_case__accept|review\.c:yw_task__decide|hold\.c:yw_case__hold|batch\.c:batcher_main) \[/{p=1; print; next} p && /^$/{p=0} p && /\(.*x\)/{print}' |
    sed -E 's/ \[[^]]*\]$//; s#/[^ ]*/src/#src/#'
