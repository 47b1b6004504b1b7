#!/usr/bin/env bash
# scripts/build-previous.sh DIR [BUILD] - build the previous version of ywtb
# (the one before the newest migration) from git into DIR, for the rolling
# upgrade test (tests/scaleout/upgrade.test.js).  When DIR already holds that
# commit's binary it is kept: once per commit, not once per test run.
#
#   DIR/tree          the previous version's files (git archive of the commit)
#   DIR/tree/build/ywtb  its binary
#   DIR/commit        the commit built
#
# The previous version is the parent of the commit that added the newest
# migration file of migrations/pg/ (YWTB_OLD_COMMIT=<commit> chooses another):
# the version a deployment runs when the newest migration arrives, so the test
# always upgrades across at least one real migration.  It needs the history
# (CI's clone has it; a shallow clone does not).
#
# To build in seconds instead of minutes, the objects of BUILD (default build/,
# the new version's build) are reused for every source file the two versions
# share: the tree's files get an old time stamp, those that differ from the
# checked-out version a new one, so make rebuilds exactly what differs and what
# includes it (its .d files say).  Prints the binary's path last.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:?usage: $0 DIR [BUILD]}"
build="${2:-$here/build}"
case "$build" in /*) ;; *) build="$here/$build" ;; esac

die() {
    echo "build-previous: $*" >&2
    exit 1
}

cd "$here"
git rev-parse --git-dir >/dev/null 2>&1 || die "not a git checkout: the previous version is built from git"
commit="${YWTB_OLD_COMMIT:-}"
if [ -z "$commit" ]; then
    newest="$(git ls-files 'migrations/pg/*.sql' | sort | tail -n1)"
    [ -n "$newest" ] || die "no migrations/pg/*.sql in git"
    added="$(git log -1 --format=%H --diff-filter=A -- "$newest")"
    [ -n "$added" ] || die "no commit adds $newest (a shallow clone? fetch the history)"
    commit="$(git rev-parse "$added^")"
fi
commit="$(git rev-parse --verify "$commit^{commit}")" || die "no commit '$commit'"

mkdir -p "$dir"
tree="$dir/tree"
if [ "$(cat "$dir/commit" 2>/dev/null)" = "$commit" ] && [ -x "$tree/build/ywtb" ]; then
    "$tree/build/ywtb" --version >&2
    echo "$tree/build/ywtb"
    exit 0
fi
rm -f "$dir/commit"
rm -rf "$tree"
mkdir -p "$tree"
git archive "$commit" | tar -x -C "$tree"
echo "build-previous: $(git log -1 --format='%h %s' "$commit" | cut -c1-100)" >&2

# Reuse the new build's objects for what the versions share.
if [ -d "$build/obj" ]; then
    mkdir -p "$tree/build"
    cp -a "$build/obj" "$tree/build/obj"
    rm -f "$tree/build/obj/main.o" "$tree/build/obj/embedded.o" # version text, migrations
    find "$tree" -path "$tree/build" -prune -o -type f -exec touch -h -d '2000-01-01 00:00:00' {} +
    # files of the old tree that differ from the working tree (committed or
    # not): newer than every copied object
    git diff --name-only "$commit" -- src Makefile migrations scripts/embed.sh |
        while IFS= read -r f; do
            [ -e "$tree/$f" ] && touch "$tree/$f"
        done
    touch "$tree/build/obj" # directories need no rebuild
fi
# A copied object whose source the old tree lacks is harmless: the link uses
# the objects of the old tree's own sources only.
make -C "$tree" -j"$(nproc)" VERSION="previous-${commit:0:12}" build/ywtb >"$dir/make.log" 2>&1 || {
    tail -n 30 "$dir/make.log" >&2
    die "the previous version ($commit) did not build"
}
echo "$commit" >"$dir/commit"
"$tree/build/ywtb" --version >&2
echo "$tree/build/ywtb"
