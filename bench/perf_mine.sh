#!/usr/bin/env bash
# bench/perf_mine.sh BIN OUT [SECONDS] - a citizen's own case list and case
# page answered from the own-list cache (issue 19), next to nginx serving the
# same bytes, ROUNDS (default "1 2 3") alternations of SECONDS (default 10)
# each: the ratio and ywtb's CPU per request (from /proc/PID/stat), which
# depends far less on what else runs than the rate does.  PERF=1 records the
# first round with `perf record -e cpu-clock -a -g`; PERF=1 PERFPID=1 records
# ywtb alone with DWARF stacks (OUT/perf-list.data, perf-case.data).  SQLite,
# access log on, as in bench/run.sh.  Not part of bench/run.sh.  Ports
# 18198 and 18199.
set -euo pipefail
BIN=$1 OUT=$2 SECS=${3:-10}
REPO="$(cd "$(dirname "$0")/.." && pwd)"
T=/tmp/mine.$$; mkdir -p $T/www $OUT
trap 'kill ${YP:-0} ${NP:-0} 2>/dev/null; rm -rf $T' EXIT
$BIN seed --demo --db sqlite:$T/db >/dev/null 2>&1
openssl rand -hex 32 > $T/secret; chmod 600 $T/secret
YPORT=18199 NPORT=18198
$BIN serve --db sqlite:$T/db --listen 127.0.0.1:$YPORT --access-log $T/access.log --threads 2 --web-root $REPO/web --secret-key-file $T/secret --log-level warn >$T/ywtb.log 2>&1 &
YP=$!
for i in $(seq 100); do curl -sf http://127.0.0.1:$YPORT/readyz >/dev/null && break; sleep 0.1; done
j() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
TOK=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"310104199003072013","password":"Demo@2026"}' http://127.0.0.1:$YPORT/api/v1/auth/login | j token)
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%%%EOF\n' > $T/m.pdf
FID=$(curl -sf -H "Authorization: Bearer $TOK" -F "file=@$T/m.pdf;type=application/pdf" http://127.0.0.1:$YPORT/api/v1/files | j file_id)
printf '{"item_code":"SCJ-20-0006","form":{"name":"张小明","id_number":"310104199003072013","phone":"13912345678"},"materials":[{"material_code":"SCJ-20-0006-M01","file_id":"%s"},{"material_code":"SCJ-20-0006-M02","file_id":"%s"},{"material_code":"SCJ-20-0006-M03","file_id":"%s"}]}' $FID $FID $FID > $T/body.json
for i in 1 2 3 4 5; do NO=$(curl -sf -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' --data-binary @$T/body.json http://127.0.0.1:$YPORT/api/v1/cases | j case_no); done
curl -sf -H "Authorization: Bearer $TOK" -o $T/www/list "http://127.0.0.1:$YPORT/api/v1/cases?limit=20"
curl -sf -H "Authorization: Bearer $TOK" -o $T/www/case "http://127.0.0.1:$YPORT/api/v1/cases/$NO"
wc -c $T/www/list $T/www/case
cat > $T/nginx.conf <<NG
worker_processes 2; daemon off; pid $T/nginx.pid; error_log $T/ng.err warn;
events { worker_connections 4096; }
http { access_log off; client_body_temp_path $T/nb; proxy_temp_path $T/np; fastcgi_temp_path $T/nf; uwsgi_temp_path $T/nu; scgi_temp_path $T/ns;
 sendfile on; open_file_cache max=64; keepalive_requests 1000000;
 server { listen 127.0.0.1:$NPORT; root $T/www; location / { types { } default_type "application/json; charset=utf-8"; } } }
NG
chmod -R a+rX $T
/usr/sbin/nginx -c $T/nginx.conf -p $T >/dev/null 2>&1 & NP=$!
sleep 0.5
export BENCH_TOKEN=$TOK
for r in ${ROUNDS:-1 2 3}; do
for what in list case; do
  if [ $what = list ]; then U="/api/v1/cases?limit=20"; else U="/api/v1/cases/$NO"; fi
  wrk -t2 -c64 -d2s -s $REPO/bench/auth.lua "http://127.0.0.1:$NPORT/$what" >/dev/null
  n=$(wrk -t2 -c64 -d${SECS}s -s $REPO/bench/auth.lua "http://127.0.0.1:$NPORT/$what" | awk '/Requests\/sec/ {print $2}')
  wrk -t2 -c64 -d2s -s $REPO/bench/auth.lua "http://127.0.0.1:$YPORT$U" >/dev/null
  if [ -n "${PERF:-}" ] && [ $r = 1 ]; then perf record -e cpu-clock $([ -n "${PERFPID:-}" ] && echo "-p $YP --call-graph dwarf,16384" || echo "-a -g") -o $OUT/perf-$what.data -- sleep $SECS >/dev/null 2>&1 & PP=$!; fi
  c0=$(awk '{print $14+$15}' /proc/$YP/stat)
  wout=$(wrk -t2 -c64 -d${SECS}s -s $REPO/bench/auth.lua "http://127.0.0.1:$YPORT$U")
  c1=$(awk '{print $14+$15}' /proc/$YP/stat)
  y=$(echo "$wout" | awk '/Requests\/sec/ {print $2}'); nreq=$(echo "$wout" | awk '/requests in/ {print $1}')
  [ -n "${PERF:-}" ] && [ $r = 1 ] && wait $PP
  echo "$what r$r nginx $n ywtb $y ratio $(node -e "console.log(($y/$n).toFixed(3))") ywtb-us/req $(node -e "console.log((($c1-$c0)*10000/$nreq).toFixed(2))")" | tee -a $OUT/summary.txt
done; done
