#!/usr/bin/env bash
# scripts/ops-test.sh - an operator's deployment, step by step as
# docs/OPERATIONS.md tells it, on this machine and in a temp dir (issue 21):
#
#   1. make install DESTDIR=...: the binary, share/ywtb/{web,data,migrations,
#      openapi.yaml}, ywtb.conf (key file by absolute path), the unit (UMask)
#   2. the first administrator, the catalog, `ywtb serve` of the installed
#      binary started from another directory (it finds its files and makes the
#      key where ywtb.conf says); a signing key sealed under it
#   3. `ywtb backup` while a loop of logins keeps writing
#   4. restore on a new path with the key file on a new path: verify --audit,
#      a start without the key is refused, with it the node serves and signs
#   5. nginx in front (as in OPERATIONS.md, without TLS): an upload over the
#      limit gets ywtb's JSON 413, not nginx's 502
#   (2b. the yearly calendar: show a loaded and a missing year, import one)
#
# Usage: scripts/ops-test.sh [BUILD_DIR]   (default build; needs curl, sqlite3,
# nginx - scripts/deps.sh installs them).  Prints "ops: N passed, 0 failed" and
# exits 0, or stops at the first failed check with its output and exits 1.
set -euo pipefail

cd "$(dirname "$0")/.."
build="${1:-build}"
root="$(mktemp -d /tmp/ywtb-ops-XXXXXX)"
pids=()
passed=0

cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [ -z "${YWTB_TEST_KEEP:-}" ]; then rm -rf "$root"; else echo "ops: kept $root"; fi
}
trap cleanup EXIT

ok() {
    passed=$((passed + 1))
    echo "ok $passed - $*"
}
fail() {
    echo "not ok - $*" >&2
    [ -f "$root/serve.log" ] && tail -n 20 "$root/serve.log" >&2
    echo "ops: $passed passed, 1 failed"
    exit 1
}

free_port() {
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_ready() { # base-url pid
    local i
    for i in $(seq 1 400); do
        kill -0 "$2" 2>/dev/null || return 1
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1/readyz")" = 200 ] && return 0
        sleep 0.05
    done
    return 1
}

# ---- 1. install ----
dest="$root/dest"
make -s install DESTDIR="$dest" PREFIX=/usr/local BUILD="$build" >/dev/null
bin="$dest/usr/local/bin/ywtb"
share="$dest/usr/local/share/ywtb"
[ -x "$bin" ] || fail "make install: no $bin"
for f in web/index.html data/catalog migrations/sqlite openapi.yaml; do
    [ -e "$share/$f" ] || fail "make install: no share/ywtb/$f"
done
grep -q '^UMask=0027$' "$dest/lib/systemd/system/ywtb.service" || fail "the unit has no UMask=0027"
grep -q '^secret_key_file = /' "$dest/etc/ywtb/ywtb.conf" || fail "ywtb.conf names no absolute key file"
"$bin" --version | grep -Eq '^ywtb [0-9]+\.[0-9]+\.[0-9]+(\+[0-9]+\.g[0-9a-f]+)?' || fail "--version"
ok "make install DESTDIR: binary, web, data, migrations, openapi.yaml, conf, unit"

# ---- 2. configure, first administrator, catalog, serve from elsewhere ----
lib="$root/lib"
mkdir -p "$lib" "$root/log" "$root/elsewhere"
install -d -m 0750 "$lib"
port=$(free_port)
conf="$root/ywtb.conf"
# the installed file with this machine's paths (what an operator edits)
sed -e "s|^listen .*|listen = 127.0.0.1:$port|" \
    -e "s|sqlite:/var/lib/ywtb/ywtb.db|sqlite:$lib/ywtb.db|" \
    -e "s|/var/lib/ywtb/|$lib/|" \
    -e "s|/var/log/ywtb/|$root/log/|" \
    -e "s|/usr/local/share/ywtb|$share|" \
    "$dest/etc/ywtb/ywtb.conf" >"$conf"
cat >>"$conf" <<EOF
pwhash_ops = 1
pwhash_mem = 8388608
upload_limit = 1048576
trust_proxy = true
EOF
cd "$root/elsewhere"
"$bin" seed --catalog --config "$conf" >/dev/null 2>"$root/seed.log" || fail "seed --catalog: $(tail -n 3 "$root/seed.log")"
"$bin" admin user add --config "$conf" --username admin --password 'Ops@2026x' \
    --name 系统管理员 --dept XH-DSJ --roles admin >/dev/null 2>&1 || fail "admin user add"
(umask 0027 && exec "$bin" serve --config "$conf") >"$root/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
base="http://127.0.0.1:$port"
wait_ready "$base" "$serve" || fail "the installed binary did not become ready"
[ -f "$lib/var/ywtb.key" ] || fail "no key file at the configured absolute path"
[ ! -e "$root/elsewhere/var" ] || fail "a key (or var/) was made in the working directory"
[ "$(stat -c %a "$lib/var/ywtb.key")" = 600 ] || fail "key file mode $(stat -c %a "$lib/var/ywtb.key")"
login() { # base -> token
    curl -s -X POST -H 'Content-Type: application/json' \
        -d '{"login":"admin","password":"Ops@2026x"}' "$1/api/v1/auth/login" |
        sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
token=$(login "$base")
[ -n "$token" ] || fail "admin cannot log in"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"dept":"XH-SCJ"}' "$base/api/v1/keys/rotate")
[ "$code" = 200 ] || fail "key rotation: $code"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/")" = 200 ] || fail "the portal page is not served"
ok "installed ywtb serves from another directory; key at the configured path, 0600; a signing key sealed"

# ---- 2b. the yearly calendar task (OPERATIONS.md "Every year") ----
"$bin" calendar show 2026 --config "$conf" | grep -q '^working days: 248$' || fail "calendar show 2026"
if "$bin" calendar show 2027 --config "$conf" >/dev/null 2>"$root/cal.err"; then fail "calendar show of a year not loaded exits 0"; fi
grep -q 'ywtb calendar import FILE' "$root/cal.err" || fail "calendar show 2027 does not say how to load it"
# made-up dates in a year far ahead, marked as a test: no official year is invented
cat >"$root/2031.json" <<'EOF2'
{"year": 2031, "source": "ops-test only - not an official notice",
 "holidays": [{"name": "元旦", "days": ["2031-01-01", "2031-01-02", "2031-01-03"]}],
 "workdays": [{"name": "元旦调休", "days": ["2031-01-04"]}]}
EOF2
"$bin" calendar import "$root/2031.json" --config "$conf" >/dev/null 2>"$root/cal.err" || fail "calendar import: $(tail -n 2 "$root/cal.err")"
[ -f "$share/data/calendar/2031.json" ] || fail "calendar import wrote no $share/data/calendar/2031.json"
"$bin" calendar show 2031 --config "$conf" | grep -q '元旦  2031-01-01 .. 2031-01-03' || fail "calendar show 2031"
rm -f "$share/data/calendar/2031.json"
ok "calendar show of a loaded and a missing year; calendar import into the installed data"

# ---- 3. backup under a write load ----
: >"$root/writes"
(
    while [ ! -e "$root/stop" ]; do
        login "$base" >/dev/null && echo >>"$root/writes"
    done
) &
load=$!
pids+=("$load")
while [ "$(wc -l <"$root/writes")" -lt 10 ]; do sleep 0.05; done
before=$(wc -l <"$root/writes")
"$bin" backup --config "$conf" --timeout 120 "$root/backup.db" >"$root/backup.out" 2>&1 ||
    fail "backup under load: $(cat "$root/backup.out")"
after=$(wc -l <"$root/writes")
touch "$root/stop"
wait "$load" || true
[ "$after" -gt "$before" ] || fail "no write went on during the backup"
[ "$(stat -c %a "$root/backup.db")" = 600 ] || fail "backup mode $(stat -c %a "$root/backup.db")"
"$bin" verify --audit --db "sqlite:$root/backup.db" | grep -q '^audit chain intact' || fail "backup does not verify"
ok "backup under a write load ($((after - before)) logins meanwhile), mode 0600, audit intact"
kill "$serve"
wait "$serve" || true

# ---- 4. restore on new paths, with the key ----
new="$root/restored"
install -d -m 0750 "$new" "$new/keys"
install -m 0640 "$root/backup.db" "$new/ywtb.db"
port2=$(free_port)
conf2="$root/restored.conf"
sed -e "s|^listen .*|listen = 127.0.0.1:$port2|" -e "s|sqlite:$lib/ywtb.db|sqlite:$new/ywtb.db|" \
    -e "s|^secret_key_file .*|secret_key_file = $new/keys/ywtb.key|" "$conf" >"$conf2"
"$bin" verify --audit --config "$conf2" | grep -q '^audit chain intact' || fail "restored database does not verify"
if timeout 30 "$bin" serve --config "$conf2" >"$root/nokey.log" 2>&1; then fail "served without its key file"; fi
grep -q 'does not exist, but the database holds signing keys' "$root/nokey.log" || fail "no clear message without the key: $(tail -n 2 "$root/nokey.log")"
[ ! -e "$new/keys/ywtb.key" ] || fail "a new key was made for a database with sealed keys"
install -m 0600 "$lib/var/ywtb.key" "$new/keys/ywtb.key"
"$bin" serve --config "$conf2" >"$root/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
base="http://127.0.0.1:$port2"
wait_ready "$base" "$serve" || fail "the restored node did not become ready"
token=$(login "$base")
[ -n "$token" ] || fail "admin cannot log in after the restore"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"dept":"XH-SCJ"}' "$base/api/v1/keys/rotate")
[ "$code" = 200 ] || fail "signing after the restore: $code"
ok "restore on a new path: refused without the key, with it serves and signs"

# ---- 5. nginx in front: over-limit uploads get the JSON 413 ----
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || fail "nginx is not installed (scripts/deps.sh installs nginx-light)"
nport=$(free_port)
nd="$root/nginx"
mkdir -p "$nd"/{body,proxy,fastcgi,uwsgi,scgi}
cat >"$nd/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $nd/nginx.pid;
error_log $nd/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $nd/body; proxy_temp_path $nd/proxy;
    fastcgi_temp_path $nd/fastcgi; uwsgi_temp_path $nd/uwsgi; scgi_temp_path $nd/scgi;
    upstream ywtb { server 127.0.0.1:$port2; keepalive 64; }
    server {
        listen 127.0.0.1:$nport;
        client_max_body_size 3m;
        location / {
            proxy_pass http://ywtb;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
        }
    }
}
EOF
"$nginx" -p "$nd" -e "$nd/error.log" -c "$nd/nginx.conf" &
pids+=("$!")
wait_ready "http://127.0.0.1:$nport" "$!" || fail "nginx did not start: $(cat "$nd/error.log")"
for size in 1048577 1572864; do
    head -c "$size" /dev/zero >"$root/big.pdf"
    curl -s -o "$root/413.json" -w '%{http_code} %{content_type}\n' -H "Authorization: Bearer $token" \
        -F "file=@$root/big.pdf;type=application/pdf" "http://127.0.0.1:$nport/api/v1/files" >"$root/413.status"
    read -r status ctype <"$root/413.status"
    [ "$status" = 413 ] || fail "upload of $size bytes through nginx: $status $(head -c 200 "$root/413.json")"
    case "$ctype" in application/json*) ;; *) fail "413 through nginx is $ctype, not JSON" ;; esac
    grep -q '"payload_too_large"' "$root/413.json" || fail "413 body: $(cat "$root/413.json")"
done
ok "through nginx: uploads over the limit get ywtb's JSON 413"

echo "ops: $passed passed, 0 failed"
