#!/usr/bin/env bash
# bench/payments.sh BUILD - the payments figures (issue 18), in one run on this
# machine: gateway notifications handled per second (each one's signature
# verified with the gateway's SM2 key, checked against its order and logged in
# its own durable transaction; bench/payments/run.mjs, 16 connections, against
# ywtb on SQLite with the simulator tools/paysim) next to the raw durable
# single-row commit rate measured just before (bench/sqlite_commit.c: WAL,
# synchronous=FULL, one INSERT per transaction, one thread); and the
# reconciliation of a 100,000-line settlement file (the multipart import, then
# the report).  Prints a Markdown table (what docs/PERFORMANCE.md's payments
# block shows) and the machine's load; asserts nothing.  bench/run.sh runs it
# (`make bench`).
#
#   bash bench/payments.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac

tmp="$(mktemp -d /tmp/ywtb-bench-payments.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
cc -O2 -Wall -Wextra -o "$tmp/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
raw="$("$tmp/sqlite_commit" "$tmp/commit.db" 5)"
raw_rate="$(sed -n 's/.*rate=\([0-9.]*\).*/\1/p' <<<"$raw")"

out="$(YWTB_BIN="$BUILD/ywtb" YWTB_PAYSIM="$BUILD/paysim" node "$here/payments/run.mjs" 2>"$tmp/run.err")" ||
    { cat "$tmp/run.err" >&2; exit 1; }
result="$(sed -n 's/^RESULT //p' <<<"$out")"
[ -n "$result" ] || { echo "bench/payments.sh: no result" >&2; echo "$out" >&2; exit 1; }

node -e '
const r = JSON.parse(process.argv[1]), raw = Number(process.argv[2]);
const n = r.notify, c = r.recon;
console.log(`machine: ${require("os").cpus().length} cores, load average ${process.argv[3]} before the run (shared with other work)`);
console.log("");
console.log("| figure | ywtb | yardstick | ratio | target |");
console.log("| --- | --- | --- | --- | --- |");
console.log(`| gateway notifications (SM2 verified, durable; ${n.conns} connections, ${n.n} sent) | ${n.rate.toFixed(0)} /s (${n.ok} acknowledged) | raw durable commit ${raw.toFixed(0)} /s (bench/sqlite_commit.c) | ${(n.rate / raw).toFixed(2)} x | - |`);
console.log(`| reconciliation of ${c.lines.toLocaleString("en")} settlement lines (${c.mb.toFixed(1)} MB) | import ${c.import_s.toFixed(2)} s + report ${c.report_s.toFixed(2)} s = ${(c.import_s + c.report_s).toFixed(2)} s (HTTP ${c.import_status}/${c.report_status}, ${c.mismatches} mismatches) | - | - | < 10 s |`);
' "$result" "$raw_rate" "$load_before"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
