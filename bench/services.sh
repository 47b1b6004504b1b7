#!/usr/bin/env bash
# bench/services.sh BUILD - the service hall's figures (issue 11), in one run
# on this machine (bench/run.sh calls it; its Markdown lands in
# docs/PERFORMANCE.md's services block):
#   bookings  bench/services_book.mjs: 640 citizens book one of four slots
#             (16 places) with 64 requests in flight, then one free slot
#             each; next to the raw durable commit rate of SQLite measured
#             just before (bench/sqlite_commit.c, 5 s); and the proof that no
#             slot was overbooked.
#   screens   bench/services_hall.mjs: 1,000 hall screens connected to the
#             server-sent events, 10 numbers called; the time from sending
#             each call until every screen has read it.
#   mail      bench/services_notify.mjs: 400 confirmation emails through a
#             local SMTP sink, the sender killed -9 halfway: the rate, and
#             messages lost or doubled (the sink answers the sender's "was
#             this Message-ID accepted?" after the restart).
# Prints Markdown; asserts nothing.  Needs node and cc with SQLite.
#
#   bash bench/services.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
export YWTB_BIN="$BUILD/ywtb"

tmp="$(mktemp -d /tmp/ywtb-bench-services.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
j() { node -e "const o=JSON.parse(process.argv[1]);console.log(process.argv[2].split('.').reduce((v,k)=>v?.[k],o))" "$1" "$2"; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
cc -O2 -o "$tmp/sqlite_commit" "$here/sqlite_commit.c" -lsqlite3
raw=$("$tmp/sqlite_commit" "$tmp/commit.db" 5)
raw_rate=$(sed -n 's/.*rate=\([0-9.]*\).*/\1/p' <<<"$raw")
book=$(node "$here/services_book.mjs" 640 64 | tr -d '\n')
hall=$(node "$here/services_hall.mjs" 1000 10)
mail=$(node "$here/services_notify.mjs" 400)
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo "### Service hall (services, issue 11)"
echo
echo "\`bash bench/services.sh build\` on $(nproc) cores, load average $load0 before and $load1 after; SQLite, one server, the clients in node.js on the same machine."
echo
echo "| figure | measured | yardstick / check |"
echo "| --- | --- | --- |"
printf '| bookings/s, 640 citizens on 4 slots (16 places), 64 in flight | %s/s | raw durable commits (sqlite_commit, WAL, synchronous=FULL): %.0f/s; %s won, %s `409 slot_full`, other %s; slot counts %s; overbooked: %s |\n' \
    "$(j "$book" contention.per_second)" "$raw_rate" "$(j "$book" contention.won)" "$(j "$book" contention.slot_full)" \
    "$(j "$book" contention.other)" "$(j "$book" contention.booked_counts | tr -d '\n ')" "$(j "$book" overbooked)"
printf '| bookings/s, one free slot each, 64 in flight | %s/s | %s of 640 booked |\n' "$(j "$book" spread.per_second)" "$(j "$book" spread.booked)"
printf '| hall screens: a called number reaches %s SSE listeners | p50 %s ms, p99 %s ms, max %s ms | %s samples (%s calls), %s missed; server RSS %s MB with them connected |\n' \
    "$(j "$hall" connected)" "$(j "$hall" p50_ms)" "$(j "$hall" p99_ms)" "$(j "$hall" max_ms)" "$(j "$hall" samples)" "$(j "$hall" calls)" "$(j "$hall" missed)" "$(j "$hall" rss_mb)"
printf '| emails/s through a local SMTP sink (with .ics) | %s/s before the kill, %s/s over the run with a kill -9 and restart | %s queued: %s lost, %s sent twice; after the restart %s in-flight messages checked with the relay, %s of them already accepted (recorded as sent, not resent) |\n' \
    "$(j "$mail" rate_before_kill)" "$(j "$mail" rate_total)" "$(j "$mail" queued)" "$(j "$mail" lost)" "$(j "$mail" doubled)" "$(j "$mail" checks)" "$(j "$mail" checked_accepted)"
