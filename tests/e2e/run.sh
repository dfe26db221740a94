#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Browser tests: serves a fresh data directory with the SELA 2022 programme and
# drives Debian's Chromium against it (tests.mjs).
#
#   tests/e2e/run.sh AULA_BIN        e.g. tests/e2e/run.sh build/aula
#
# The last line printed is "N passed, N failed"; the exit status is non-zero
# when anything failed.  Screenshots go to test-output/ at the repository root.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

summary() { # passed failed
    echo "$1 passed, $2 failed"
    [ "$2" -eq 0 ]
    exit
}
setup_failed() {
    echo "e2e: $*" >&2
    summary 0 1
}

[ $# -eq 1 ] || { echo "usage: $0 AULA_BIN" >&2; summary 0 1; }
bin=$1
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || setup_failed "$bin is not an executable"
command -v node >/dev/null || setup_failed "node is not installed"
command -v java >/dev/null || setup_failed "java is not installed (the Nu HTML checker needs it)"
[ -x /usr/bin/chromium ] || setup_failed "/usr/bin/chromium is not installed"

# The Nu HTML checker (vnu-jar) came later than the first modules: a tree
# installed before it is brought up to date too.
if [ ! -d "$here/node_modules" ] || [ ! -f "$here/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
    echo "e2e: installing node modules"
    (cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 300 npm ci --no-audit --no-fund) >&2 ||
        setup_failed "npm ci failed"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/aula-e2e.XXXXXX") || setup_failed "mktemp failed"
server=
cleanup() {
    if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
        kill -KILL "$server" 2>/dev/null
        wait "$server" 2>/dev/null
    fi
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

data=$dir/data
timeout 30 "$bin" init --data "$data" >"$dir/setup.log" 2>&1 &&
    timeout 30 "$bin" import --data "$data" "$root/examples/sela-2022/programme.json" >>"$dir/setup.log" 2>&1 &&
    printf 'e2e-password-123\n' | timeout 30 "$bin" user add --data "$data" --role admin admin@example.org \
        >>"$dir/setup.log" 2>&1 ||
    { cat "$dir/setup.log" >&2; setup_failed "could not create the data directory"; }

: >"$dir/server.out"
"$bin" serve --data "$data" --listen 127.0.0.1:0 >"$dir/server.out" 2>"$dir/server.err" &
server=$!

url=
for _ in $(seq 100); do # up to 10 s
    url=$(sed -n 's|^aula: listening on \(http://[^ ]*\)$|\1|p' "$dir/server.out" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    cat "$dir/server.out" "$dir/server.err" >&2
    setup_failed "the server did not say where it listens"
fi
echo "e2e: server at $url"

mkdir -p "$root/test-output"
# The tests read the outbox (sign-in links) from the database in AULA_E2E_DATA.
AULA_URL=$url AULA_E2E_OUT=$root/test-output AULA_E2E_DATA=$data \
    timeout 600 node "$here/tests.mjs" | tee "$dir/tests.log"
status=${PIPESTATUS[0]}

line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' "$dir/tests.log" | tail -n 1)
if [ -n "$line" ]; then
    passed=$(echo "$line" | sed -E 's/^browser: ([0-9]+) passed.*/\1/')
    failed=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
else
    echo "FAIL - the browser tests did not finish (exit status $status)"
    passed=0
    failed=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    echo "FAIL - tests.mjs exited with status $status"
    failed=$((failed + 1))
fi

# Further test files (test_*.mjs), each with its own runner and summary line,
# against the same server; AULA_BIN lets them prepare data with the command.
for extra in "$here"/test_*.mjs; do
    [ -e "$extra" ] || continue
    AULA_URL=$url AULA_E2E_OUT=$root/test-output AULA_E2E_DATA=$data AULA_BIN=$bin \
        timeout 600 node "$extra" | tee "$dir/extra.log"
    line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' "$dir/extra.log" | tail -n 1)
    if [ -n "$line" ]; then
        passed=$((passed + $(echo "$line" | sed -E 's/^browser: ([0-9]+) passed.*/\1/')))
        failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')))
    else
        echo "FAIL - $(basename "$extra") did not finish"
        failed=$((failed + 1))
    fi
done

# The server is still running, and stops cleanly on SIGTERM within 10 s.
if ! kill -0 "$server" 2>/dev/null; then
    wait "$server"
    code=$?
    server=
    echo "FAIL - the server died during the tests (exit status $code)"
    failed=$((failed + 1))
    tail -n 30 "$dir/server.err" | sed 's/^/  /'
    summary "$passed" "$failed"
fi
kill -TERM "$server"
stopped=
for _ in $(seq 100); do
    if ! kill -0 "$server" 2>/dev/null; then stopped=1; break; fi
    sleep 0.1
done
if [ -n "$stopped" ]; then
    wait "$server"
    code=$?
    server=
    if [ "$code" -eq 0 ]; then
        echo "ok - the server exits with status 0 on SIGTERM"
        passed=$((passed + 1))
    else
        echo "FAIL - the server exited with status $code on SIGTERM"
        failed=$((failed + 1))
    fi
else
    echo "FAIL - the server still runs 10 s after SIGTERM"
    failed=$((failed + 1))
fi

if [ "$failed" -ne 0 ]; then
    echo "e2e: last lines of the server's output:"
    tail -n 20 "$dir/server.out" "$dir/server.err" | sed 's/^/  /'
fi
summary "$passed" "$failed"
