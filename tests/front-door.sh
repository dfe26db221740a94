#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The front door as a new user finds it: a fresh clone of this repository's
# HEAD, built on a machine that has what running needs but none of the
# test-only libraries, must come up with `make run`.
#
# The test libraries are hidden rather than removed: pkg-config looks only at
# a copy of the system's .pc directories without cmocka.pc, and cmake (meson's
# other way to find a dependency) is left out of PATH.  `make run` then serves
# on a free loopback port until /healthz answers (at most FRONT_DOOR_TIMEOUT
# seconds, default 120), and is stopped.  Then plain `make` must do without
# the package tools (it never installs anything).  The last line is
# "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
SRC=$PWD
LIMIT=${FRONT_DOOR_TIMEOUT:-120}

tmp=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill -TERM -- "-$server" 2>/dev/null
        for _ in $(seq 50); do kill -0 -- "-$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$server" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
# Set-up faults fail the whole check.
result() {
    bad "make run in a fresh clone: $2"
    finish
}

# A PATH like the caller's, whose directories hold links to every program
# but the ones named.
path_without() {
    local name=$1 d f i=0 out="" skip
    shift
    skip=" $* "
    local IFS=:
    for d in $PATH; do
        [ -d "$d" ] || continue
        i=$((i + 1))
        mkdir -p "$tmp/$name/$i"
        for f in "$d"/*; do
            case $skip in *" ${f##*/} "*) continue ;; esac
            [ -x "$f" ] && [ ! -d "$f" ] && ln -s "$f" "$tmp/$name/$i/" 2>/dev/null
        done
        out="$out${out:+:}$tmp/$name/$i"
    done
    echo "$out"
}

if ! git clone -q "$SRC" "$tmp/aula" 2>"$tmp/clone.log"; then
    cat "$tmp/clone.log"
    result fail "git clone failed"
fi

# pkg-config's own search path, copied directory by directory (so their order
# still decides) without the test-only libraries.
pcdirs=""
i=0
IFS=: read -ra syspc <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${syspc[@]}"; do
    [ -d "$d" ] || continue
    i=$((i + 1))
    mkdir -p "$tmp/pc/$i"
    cp -L "$d"/*.pc "$tmp/pc/$i"/ 2>/dev/null
    rm -f "$tmp/pc/$i"/cmocka.pc
    pcdirs="$pcdirs${pcdirs:+:}$tmp/pc/$i"
done
[ -n "$pcdirs" ] || result fail "no pkg-config directories found"

newpath=$(path_without path cmake cmake3 ctest cpack)
if PATH=$newpath command -v cmake >/dev/null; then
    result fail "could not hide cmake"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

# setsid: make and the server it execs form one process group to stop.
cd "$tmp/aula" || result fail "no clone"
env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$pcdirs" PATH="$newpath" \
    setsid make run LISTEN="127.0.0.1:$port" >"$tmp/run.log" 2>&1 &
server=$!

up=""
for _ in $(seq $((LIMIT * 2))); do
    if curl -fsS --max-time 2 "http://127.0.0.1:$port/healthz" >"$tmp/healthz" 2>/dev/null; then
        up=yes
        break
    fi
    kill -0 "$server" 2>/dev/null || break
    sleep 0.5
done

if [ -n "$up" ] && grep -q 'Run-time dependency cmocka found: YES' \
    "$tmp/aula/build/meson-logs/meson-log.txt" 2>/dev/null; then
    bad "make run in a fresh clone: cmocka was not hidden from the build"
elif [ -n "$up" ]; then
    ok "make run in a fresh clone answers /healthz"
else
    echo "---- make run said ----"
    tail -40 "$tmp/run.log"
    echo "-----------------------"
    if kill -0 "$server" 2>/dev/null; then
        bad "make run in a fresh clone: no answer from /healthz within ${LIMIT}s"
    else
        bad "make run in a fresh clone: make run stopped before serving"
    fi
fi
kill -TERM -- "-$server" 2>/dev/null
wait "$server" 2>/dev/null
server=""

# Plain make builds and installs nothing: without dpkg-query, deps.sh would
# take every package for missing and reach for apt-get, which is gone too.
noapt=$(path_without noapt cmake cmake3 ctest cpack apt-get apt dpkg-query dpkg sudo)
if env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$pcdirs" PATH="$noapt" make >"$tmp/make.log" 2>&1 &&
    [ -x build/aula ]; then
    ok "plain make builds without calling the package tools"
else
    bad "plain make needs the package tools"
    tail -20 "$tmp/make.log"
fi
finish
