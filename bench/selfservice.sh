#!/usr/bin/env bash
# bench/selfservice.sh BUILD - the self-service hall's figures (issue 20), in
# one run on this machine (bench/selfservice/run.mjs, ywtb on SQLite): shipping
# labels rendered per second next to cases' receipt.pdf of the same case (the
# same PDF engine); lockers opened per second by their owner signed in at a
# kiosk (one durable transaction each) next to the raw durable single-row
# commit rate measured just before (bench/sqlite_commit.c: WAL,
# synchronous=FULL, one INSERT per transaction, one thread); and one pass of
# the return job over 2,000 uncollected results.  Prints a Markdown table (what
# docs/PERFORMANCE.md's selfservice block shows) and the machine's load;
# asserts nothing.  bench/run.sh runs it (`make bench`).
#
#   bash bench/selfservice.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac

tmp="$(mktemp -d /tmp/ywtb-bench-selfservice.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
cc -O2 -Wall -Wextra -o "$tmp/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
raw="$("$tmp/sqlite_commit" "$tmp/commit.db" 5)"
raw_rate="$(sed -n 's/.*rate=\([0-9.]*\).*/\1/p' <<<"$raw")"

out="$(YWTB_BIN="$BUILD/ywtb" node "$here/selfservice/run.mjs" 2>"$tmp/run.err")" ||
    { cat "$tmp/run.err" >&2; exit 1; }
result="$(sed -n 's/^RESULT //p' <<<"$out")"
[ -n "$result" ] || { echo "bench/selfservice.sh: no result" >&2; echo "$out" >&2; exit 1; }

node -e '
const r = JSON.parse(process.argv[1]), raw = Number(process.argv[2]);
console.log(`machine: ${require("os").cpus().length} cores, load average ${process.argv[3]} before the run (shared with other work)`);
console.log("");
console.log("| figure | ywtb | yardstick (same run) | ratio |");
console.log("| --- | --- | --- | --- |");
console.log(`| shipping label PDF (${r.label.n} at ${r.label.conns} connections) | ${r.label.rate.toFixed(1)} /s | cases receipt.pdf of the same case ${r.receipt.rate.toFixed(1)} /s | ${(r.label.rate / r.receipt.rate).toFixed(2)} x |`);
console.log(`| locker opened by its owner at a kiosk (durable; ${r.pickup.n} at ${r.pickup.conns} connections) | ${r.pickup.rate.toFixed(0)} /s (${r.pickup.ok} opened) | raw durable commit ${raw.toFixed(0)} /s (bench/sqlite_commit.c) | ${(r.pickup.rate / raw).toFixed(2)} x |`);
console.log(`| return job: ${r.returned.n.toLocaleString("en")} uncollected results back to the window (one pass, 100 per transaction) | ${r.returned.returned} in ${r.returned.secs.toFixed(2)} s = ${r.returned.rate.toFixed(0)} /s | raw durable commit ${raw.toFixed(0)} /s | ${(r.returned.rate / raw).toFixed(2)} x |`);
' "$result" "$raw_rate" "$load_before"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
