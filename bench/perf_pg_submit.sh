#!/usr/bin/env bash
# bench/perf_pg_submit.sh BIN OUT [SECONDS] - where a durable submission's CPU
# goes on PostgreSQL (issue 17): a throw-away cluster (fsync on,
# pg_stat_statements; PSS= turns it off), `ywtb seed --demo`, pgbench's
# single-client commit rate as the yardstick, then wrk -t2 -c64 of the bench's
# submission (SCJ-20-0006, 3 materials) for SECONDS (default 10).  OUT gets
# wrk's output, the statements per submission (stmts.txt: calls and
# microseconds per case) and a summary with the whole machine's CPU per
# submission from /proc/stat.  PERF=1 also records `perf record -e cpu-clock
# -a -g` (OUT/perf.data): every process and the kernel.  Not part of
# bench/run.sh.  Ports 55499 and 18099.
set -euo pipefail
BIN=$1 OUT=$2 SECS=${3:-10}
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
T=/tmp/pgperf.$$; mkdir -p $T/pg; chown postgres $T/pg; chmod 700 $T/pg
mkdir -p $OUT
as_pg() { runuser -u postgres -- "$@"; }
PORT=55499
as_pg $PGBIN/initdb -D $T/pg/data -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
as_pg $PGBIN/pg_ctl -D $T/pg/data -l $T/pg/log -w -o "-c listen_addresses=127.0.0.1 -p $PORT -k $T/pg -c max_connections=50 ${PSS--c shared_preload_libraries=pg_stat_statements} ${PGOPTS:-}" start >/dev/null
trap 'kill ${YP:-0} 2>/dev/null; as_pg $PGBIN/pg_ctl -D $T/pg/data -m immediate stop >/dev/null; rm -rf $T' EXIT
as_pg $PGBIN/createdb -h 127.0.0.1 -p $PORT -U postgres b
URL=postgres://postgres@127.0.0.1:$PORT/b
[ -z "${PSS+x}" ] && psql -X -q -h 127.0.0.1 -p $PORT -U postgres -c "CREATE EXTENSION pg_stat_statements" b
$BIN seed --demo --db $URL >/dev/null 2>&1
openssl rand -hex 32 > $T/secret; chmod 600 $T/secret
YPORT=18099
$BIN serve --db $URL --listen 127.0.0.1:$YPORT --access-log off --threads 2 --web-root $REPO/web --secret-key-file $T/secret --log-level warn >$T/ywtb.log 2>&1 &
YP=$!
for i in $(seq 100); do curl -sf http://127.0.0.1:$YPORT/readyz >/dev/null && break; sleep 0.1; done
TOK=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"310104199003072013","password":"Demo@2026"}' http://127.0.0.1:$YPORT/api/v1/auth/login | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
printf '%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%%%EOF\n' > $T/m.pdf
FID=$(curl -sf -H "Authorization: Bearer $TOK" -F "file=@$T/m.pdf;type=application/pdf" http://127.0.0.1:$YPORT/api/v1/files | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).file_id))')
printf '{"item_code":"SCJ-20-0006","form":{"name":"张小明","id_number":"310104199003072013","phone":"13912345678"},"materials":[{"material_code":"SCJ-20-0006-M01","file_id":"%s"},{"material_code":"SCJ-20-0006-M02","file_id":"%s"},{"material_code":"SCJ-20-0006-M03","file_id":"%s"}]}' $FID $FID $FID > $T/body.json
export BENCH_TOKEN=$TOK BENCH_BODY=$T/body.json
wrk -t2 -c64 -d3s -s $REPO/bench/post_json.lua http://127.0.0.1:$YPORT/api/v1/cases >/dev/null
psql -X -q -h 127.0.0.1 -p $PORT -U postgres -c "ANALYZE" b >/dev/null; [ -z "${PSS+x}" ] && psql -X -q -h 127.0.0.1 -p $PORT -U postgres -c "SELECT pg_stat_statements_reset()" b >/dev/null
psql -X -q -h 127.0.0.1 -p $PORT -U postgres -c "CREATE TABLE bench_commit (id bigserial PRIMARY KEY, at timestamptz NOT NULL, payload text NOT NULL)" b
printf '%s\n' "INSERT INTO bench_commit (at, payload) VALUES (now(), '{\"case_no\":\"XH2026000001\",\"item\":\"310104-001\",\"state\":\"submitted\"}');" > $T/pgb.sql; chmod a+r $T/pgb.sql
as_pg $PGBIN/pgbench -n -h 127.0.0.1 -p $PORT -U postgres -c 1 -j 1 -T 5 -f $T/pgb.sql b 2>/dev/null | grep "^tps" | tee $OUT/pgbench.txt
[ -z "${PSS+x}" ] && psql -X -q -h 127.0.0.1 -p $PORT -U postgres -c "SELECT pg_stat_statements_reset()" b >/dev/null
S0=$(head -1 /proc/stat)
C0=$(psql -X -At -h 127.0.0.1 -p $PORT -U postgres -c "SELECT count(*) FROM cases" b)
if [ -n "${PERF:-}" ]; then perf record -e cpu-clock -a -g -o $OUT/perf.data -- sleep $SECS >/dev/null 2>&1 & PP=$!; fi
wrk -t2 -c64 -d${SECS}s -s $REPO/bench/post_json.lua http://127.0.0.1:$YPORT/api/v1/cases > $OUT/wrk.txt
[ -n "${PERF:-}" ] && wait $PP
S1=$(head -1 /proc/stat)
C1=$(psql -X -At -h 127.0.0.1 -p $PORT -U postgres -c "SELECT count(*) FROM cases" b)
N=$((C1-C0)); echo "cases $N" | tee $OUT/summary.txt
node -e "const a=process.argv[1].split(/ +/).slice(1).map(Number),b=process.argv[2].split(/ +/).slice(1).map(Number);const d=b.map((x,i)=>x-a[i]);const busy=d[0]+d[1]+d[2]+d[5]+d[6];console.log(\"cpu ms/case\",(busy*10/$N).toFixed(3),\"steal%\",(100*d[7]/d.reduce((x,y)=>x+y)).toFixed(1),\"idle%\",(100*(d[3]+d[4])/d.reduce((x,y)=>x+y)).toFixed(1))" "$S0" "$S1" | tee -a $OUT/summary.txt
grep -E "Requests/sec|Latency|Non-2xx" $OUT/wrk.txt | tee -a $OUT/summary.txt
psql -X -h 127.0.0.1 -p $PORT -U postgres -c "SELECT round(calls::numeric/$N,2) per_case, round(total_exec_time::numeric*1000/$N,1) us_case, left(regexp_replace(query,'\s+',' ','g'),150) q FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 45" b > $OUT/stmts.txt
psql -X -At -h 127.0.0.1 -p $PORT -U postgres -c "SELECT 'total per case: calls '||round(sum(calls)::numeric/$N,1)||' us '||round(sum(total_exec_time)::numeric*1000/$N,1) FROM pg_stat_statements" b | tee -a $OUT/summary.txt
