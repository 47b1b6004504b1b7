#!/usr/bin/env bash
# bench/sso.sh BUILD - the OpenID Connect provider's figures (issue 13), in
# one run on this machine: ywtb (SQLite, 2 worker threads) next to node's
# oidc-provider (bench/sso/provider.mjs: its defaults, an in-memory adapter,
# one node process) for discovery, the JWKS, the client_credentials token
# request (client_secret_basic) and the authorization_code exchange with PKCE
# and an ES256 ID token (bench/sso_code.lua; the codes made beforehand and not
# measured: on ywtb copies of a code its authorization endpoint issued, by
# bench/sso/codes.mjs; on oidc-provider through its own models, by
# provider.mjs); and ywtb's userinfo next to nginx serving the very same
# bytes as a static file.  wrk -t2 -c$BENCH_CONN for $BENCH_DURATION s after a
# $BENCH_WARMUP s warm-up (none for the code exchange: a code is spent once),
# each pair back to back.  Prints a Markdown table (what docs/PERFORMANCE.md's
# sso block shows) and the machine's load; asserts nothing.  Needs wrk, nginx,
# the sqlite3 CLI and the npm packages oidc-provider, jose and sm-crypto.
# BENCH_SSO_ENGINE=postgres runs ywtb on PostgreSQL instead: a throw-away
# cluster (scripts/pgtest.sh) with fsync turned back on, so every token is
# as durable as on SQLite; the codes are stored with psql.
#
#   bash bench/sso.sh build
#   BENCH_SSO_ENGINE=postgres bash bench/sso.sh build
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"
BUILD="${1:-build}"
case "$BUILD" in /*) ;; *) BUILD="$root/$BUILD" ;; esac
YWTB="$BUILD/ywtb"
DUR="${BENCH_DURATION:-10}"
WARM="${BENCH_WARMUP:-2}"
CONN="${BENCH_CONN:-64}"
SECRET=bench-provider-secret-0123456789abcdef

ENGINE="${BENCH_SSO_ENGINE:-sqlite}"

tmp="$(mktemp -d /tmp/ywtb-bench-sso.XXXXXX)"
chmod 755 "$tmp" # nginx's workers read the static copy
started=()
pg_state="$tmp/pgtest.env"
cleanup() {
    for p in "${started[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -f "$pg_state" ] && YWTB_PGTEST_STATE="$pg_state" bash "$root/scripts/pgtest.sh" stop >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
wait_http() {
    for _ in $(seq $(($2 * 10))); do
        curl -sf -o /dev/null --max-time 1 "$1" && return 0
        sleep 0.1
    done
    return 1
}

# ywtb, seeded with the demo data
DB="sqlite:$tmp/ywtb.db"
if [ "$ENGINE" = postgres ]; then
    admin=$(YWTB_PGTEST_STATE="$pg_state" bash "$root/scripts/pgtest.sh" start 2>"$tmp/pg.err" | tail -n 1) ||
        { echo "bench: no PostgreSQL: $(tail -n 2 "$tmp/pg.err")" >&2; exit 1; }
    # the test cluster runs with fsync off; these figures are durable ones
    psql -X -q -d "$admin" -c "ALTER SYSTEM SET fsync = on" -c "SELECT pg_reload_conf()" >/dev/null
    psql -X -q -d "$admin" -c "CREATE DATABASE sso_bench" >/dev/null
    DB="${admin%/*}/sso_bench"
fi
"$YWTB" seed --demo --db "$DB" >"$tmp/seed.log" 2>&1
YP=$(free_port)
"$YWTB" serve --db "$DB" --listen "127.0.0.1:$YP" --threads 2 --web-root "$root/web" \
    --secret-key-file "$tmp/secret.key" --access-log off --log-level warn >"$tmp/ywtb.log" 2>&1 &
started+=($!)
wait_http "http://127.0.0.1:$YP/readyz" 30 || { cat "$tmp/ywtb.log" >&2; exit 1; }
setup=$(node "$here/sso/setup.mjs" "http://127.0.0.1:$YP")
field() { node -e "console.log(JSON.parse(process.argv[1])[process.argv[2]])" "$setup" "$1"; }
CC_ID=$(field cc_id) CC_SECRET=$(field cc_secret) AT=$(field access_token)
RP_ID=$(field rp_id) RP_SECRET=$(field rp_secret) COOKIE=$(field cookie) AUTHZ=$(field authorize) VERIFIER=$(field verifier)

# oidc-provider
OP=$(free_port)
MP=$(free_port)
node "$here/sso/provider.mjs" "$OP" "$SECRET" "$MP" >"$tmp/provider.log" 2>&1 &
started+=($!)
wait_http "http://127.0.0.1:$OP/.well-known/openid-configuration" 30 || { cat "$tmp/provider.log" >&2; exit 1; }

# nginx with ywtb's userinfo bytes
mkdir -p "$tmp/www"
curl -sf -H "Authorization: Bearer $AT" "http://127.0.0.1:$YP/oauth2/userinfo" >"$tmp/www/userinfo"
chmod 755 "$tmp/www" && chmod 644 "$tmp/www/userinfo"
NP=$(free_port)
cat >"$tmp/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $tmp/nb; proxy_temp_path $tmp/np; fastcgi_temp_path $tmp/nf;
    uwsgi_temp_path $tmp/nu; scgi_temp_path $tmp/ns;
    sendfile on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$NP;
        root $tmp/www;
        location / { types { } default_type "application/json; charset=utf-8"; }
    }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp" >"$tmp/nginx.log" 2>&1 &
started+=($!)
wait_http "http://127.0.0.1:$NP/userinfo" 10 || { cat "$tmp/nginx-error.log" >&2; exit 1; }
cmp -s "$tmp/www/userinfo" <(curl -sf -H "Authorization: Bearer $AT" "http://127.0.0.1:$YP/oauth2/userinfo") ||
    { echo "bench: userinfo changed between reads" >&2; exit 1; }

# measure TAG URL [lua] : requests/s (and p99 ms) of a wrk run after a warm-up
measure() {
    local tag="$1" url="$2" script="${3:-$here/report.lua}"
    wrk -t2 -c"$CONN" -d"${WARM}s" --timeout 10s -s "$script" "$url" >/dev/null 2>&1 || true
    wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 10s -s "$script" "$url" >"$tmp/$tag.wrk" 2>&1
    local line
    line=$(grep '^BENCH ' "$tmp/$tag.wrk") || { cat "$tmp/$tag.wrk" >&2; return 1; }
    local rps p99 errs
    rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$line")
    errs=$(sed -E 's/.* err_status=([0-9]+).*/\1/' <<<"$line")
    [ "$errs" = 0 ] || { echo "bench: $tag had $errs non-2xx answers" >&2; cat "$tmp/$tag.wrk" >&2; return 1; }
    echo "$rps $p99"
}
export BENCH_AUTH BENCH_FORM
row() { # LABEL YW_RESULT OTHER_RESULT TARGET
    local yr yp orr op
    read -r yr yp <<<"$2"
    read -r orr op <<<"$3"
    awk -v l="$1" -v yr="$yr" -v yp="$yp" -v orr="$orr" -v op="$op" -v t="$4" 'BEGIN {
        r = yr / orr
        printf "| %s | %.0f /s (p99 %.1f ms) | %.0f /s (p99 %.1f ms) | **%.1f x** | %s %s |\n",
            l, yr, yp / 1000, orr, op / 1000, r, t, (r >= t + 0 ? "met" : "not met") }'
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run; ywtb on $ENGINE; wrk -t2 -c$CONN -d${DUR}s"
echo
echo "| request | ywtb | yardstick | ratio | target |"
echo "| --- | --- | --- | --- | --- |"
o=$(measure op-disc "http://127.0.0.1:$OP/.well-known/openid-configuration")
y=$(measure yw-disc "http://127.0.0.1:$YP/.well-known/openid-configuration")
row "discovery (oidc-provider)" "$y" "$o" 10
o=$(measure op-jwks "http://127.0.0.1:$OP/jwks")
y=$(measure yw-jwks "http://127.0.0.1:$YP/oauth2/jwks")
row "JWKS (oidc-provider)" "$y" "$o" 10
BENCH_FORM="grant_type=client_credentials&scope=bench.read"
BENCH_AUTH="Basic $(printf '%s' "bench:$SECRET" | base64 -w0)"
o=$(measure op-cc "http://127.0.0.1:$OP/token" "$root/bench/sso_token.lua")
BENCH_AUTH="Basic $(printf '%s' "$CC_ID:$CC_SECRET" | base64 -w0)"
y=$(measure yw-cc "http://127.0.0.1:$YP/oauth2/token" "$root/bench/sso_token.lua")
row "token, client_credentials (oidc-provider)" "$y" "$o" 5
# authorization_code with PKCE: fresh codes, as many as the client_credentials
# rate says a run could use (an exchange costs more than that grant)
need=$(awk -v r="$(cut -d' ' -f1 <<<"$y")" -v d="$DUR" 'BEGIN { printf "%d", r * d * 1.5 + 2000 }')
need_op=$(awk -v r="$(cut -d' ' -f1 <<<"$o")" -v d="$DUR" 'BEGIN { printf "%d", r * d * 1.5 + 1000 }')
CH=$(node -e "console.log(require('crypto').createHash('sha256').update(process.argv[1]).digest('base64url'))" "$VERIFIER")
# measure_codes TAG URL CODES : like measure, without the warm-up (a code is spent once)
measure_codes() {
    BENCH_CODES="$3" wrk -t2 -c"$CONN" -d"${DUR}s" --timeout 10s -s "$root/bench/sso_code.lua" "$2" >"$tmp/$1.wrk" 2>&1
    local line errs
    line=$(grep '^BENCH ' "$tmp/$1.wrk") || { cat "$tmp/$1.wrk" >&2; return 1; }
    errs=$(sed -E 's/.* err_status=([0-9]+).*/\1/' <<<"$line")
    [ "$errs" = 0 ] || { echo "bench: $1 had $errs non-2xx answers (out of codes?)" >&2; cat "$tmp/$1.wrk" >&2; return 1; }
    echo "$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line") $(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$line")"
}
BENCH_FORM="grant_type=authorization_code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb&code_verifier=$VERIFIER"
curl -sf "http://127.0.0.1:$MP/mint?n=$need_op&challenge=$CH" >"$tmp/op-codes"
BENCH_AUTH="Basic $(printf '%s' "bench:$SECRET" | base64 -w0)"
o=$(measure_codes op-code "http://127.0.0.1:$OP/token" "$tmp/op-codes")
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Cookie: $COOKIE" "http://127.0.0.1:$YP$AUTHZ")
code=$(node -e "console.log(new URL(process.argv[1]).searchParams.get('code'))" "$loc")
if [ "$ENGINE" = postgres ]; then
    node "$here/sso/codes.mjs" "$code" "$need" "$tmp/yw-codes" postgres | psql -X -q -d "$DB" >/dev/null
else
    node "$here/sso/codes.mjs" "$code" "$need" "$tmp/yw-codes" | sqlite3 "$tmp/ywtb.db" >/dev/null
fi
BENCH_AUTH="Basic $(printf '%s' "$RP_ID:$RP_SECRET" | base64 -w0)"
y=$(measure_codes yw-code "http://127.0.0.1:$YP/oauth2/token" "$tmp/yw-codes")
row "token, authorization_code + PKCE + ES256 ID token (oidc-provider)" "$y" "$o" 5
export BENCH_TOKEN="$AT"
n=$(measure ng-ui "http://127.0.0.1:$NP/userinfo")
y=$(measure yw-ui "http://127.0.0.1:$YP/oauth2/userinfo" "$root/bench/auth.lua")
row "userinfo (nginx, the same $(wc -c <"$tmp/www/userinfo") bytes)" "$y" "$n" 0.8
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
