#!/usr/bin/env bash
# scripts/deps.sh - install every Debian and npm package ywtb needs to build,
# run, test and benchmark. Idempotent: packages already present are skipped, so
# `make run` / `make test` can call it whenever something is missing.
#
#   scripts/deps.sh            build + run + test dependencies (chromium for the browser tests)
#   scripts/deps.sh --bench    also the benchmark tools (wrk)
#   scripts/deps.sh --all      also the benchmark tools
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"

debs=(
    # clang-14's libFuzzer runtime is in libclang-rt-14-dev, only recommended by clang (make fuzz)
    build-essential pkg-config clang libclang-rt-14-dev
    libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev
    libssl-dev openssl libsodium-dev libyaml-dev
    libcairo2-dev libpango1.0-dev libqrencode-dev libxlsxwriter-dev fonts-noto-cjk
    qpdf libzip-dev libpng-dev libjpeg62-turbo-dev libcurl4-openssl-dev
    libcmocka-dev poppler-utils
    # the API tests put nginx in front of ywtb (tests/api/ops_nginx.test.js, scripts/ops-test.sh)
    nginx-light
    postgresql postgresql-contrib
    nodejs npm curl ca-certificates
    chromium
)
for arg in "$@"; do
    case "$arg" in
    --bench) debs+=(wrk) ;;
    --browser) ;; # chromium is always installed now: make test runs the browser tests
    --all) debs+=(wrk) ;;
    esac
done

missing=()
for p in "${debs[@]}"; do
    # nodejs/npm may come from outside Debian (a machine image's own node): accept
    # the command being on PATH.
    case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "deps: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "deps: Debian packages present"
fi

# npm packages for tests and the web UI (package.json at the top level).
if [ -f "$here/package.json" ]; then
    if [ ! -d "$here/node_modules" ] || [ "$here/package.json" -nt "$here/node_modules/.stamp" ]; then
        echo "deps: installing npm packages"
        (cd "$here" && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.stamp)
    fi
fi
echo "deps: ok"
