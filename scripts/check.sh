#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# make check: installs what is missing, builds with warnings as errors, and
# runs every suite: unit and HTTP tests (also under ASan+UBSan), the HTTP
# tests under ThreadSanitizer (tests/tsan.sh), a short
# fuzzing run of the parsers of untrusted input (fuzz/), the Python checks against independent
# parsers, the browser tests, a new user's `make run` in a fresh clone, and
# the Debian package.  Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
OUT=test-output
mkdir -p "$OUT"
passed=0
failed=0

note() { printf '== %s\n' "$*"; }

# CI shows only the end of the run: the lines that name a failed check are
# kept here and repeated just before the final count.
remember_failures() {
    { printf -- '-- %s\n' "$1"; grep -E "$2" "$1" | head -20; } >>"$OUT/failures.txt"
}
rm -f "$OUT/failures.txt"

# Adds the counts of cmocka's summary lines in a log; a test program that
# died without a summary shows up in meson's own "Fail:" count instead.
count_cmocka() {
    local log=$1 p f mfail
    p=$(grep -oE '\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
    f=$(grep -oE '\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
    mfail=$(grep -oE '^Fail: +[0-9]+' "$log" | awk '{print $2}' | tail -1)
    mfail=${mfail:-0}
    mto=$(grep -oE '^Timeout: +[0-9]+' "$log" | awk '{print $2}' | tail -1)
    mfail=$((mfail + ${mto:-0}))
    [ "$f" -lt "$mfail" ] && f=$mfail
    passed=$((passed + p))
    failed=$((failed + f))
    printf '   %s passed, %s failed\n' "$p" "$f"
    if [ "$f" -gt 0 ]; then remember_failures "$log" '\[  FAILED  \]|^not ok|ERROR:|FAIL'; fi
}

# Adds a suite's own "N passed, N failed" line.
count_summary() {
    local log=$1 line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    if [ -z "$line" ]; then
        failed=$((failed + 1))
        printf '   no summary: counted as 1 failure (see %s)\n' "$log"
        { printf -- '-- %s (no summary; its end)\n' "$log"; tail -15 "$log"; } >>"$OUT/failures.txt"
        return
    fi
    passed=$((passed + $(echo "$line" | awk '{print $1}')))
    if [ "$(echo "$line" | awk '{print $3}')" -gt 0 ]; then
        remember_failures "$log" '^FAIL|^not ok|FAILED|Error'
    fi
    failed=$((failed + $(echo "$line" | awk '{print $3}')))
    printf '   %s\n' "$line"
}

finish() {
    if [ -s "$OUT/failures.txt" ]; then
        note "what failed"
        cat "$OUT/failures.txt"
    fi
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

note "dependencies"
if ! scripts/deps.sh --test; then
    failed=$((failed + 1)); finish
fi

# Sets up a build directory with warnings as errors and the tests required
# (the project's defaults have neither, as they must build anywhere), or
# configures an existing one the same way so it is never left without them
# (--reconfigure, unlike meson configure, also copes with a directory set up
# when an option had another type).
setup_build() {
    local dir=$1 log=$2
    shift 2
    if [ -f "$dir/build.ninja" ]; then
        meson setup --reconfigure "$dir" -Dwerror=true -Dtests=enabled "$@" >"$log" 2>&1
    else
        meson setup "$dir" -Dwerror=true -Dtests=enabled "$@" >"$log" 2>&1
    fi
}

note "build (warnings are errors)"
if ! setup_build build "$OUT/setup.log"; then
    cat "$OUT/setup.log"; failed=$((failed + 1)); finish
fi
if ! ninja -C build >"$OUT/build.log" 2>&1; then
    cat "$OUT/build.log"; failed=$((failed + 1)); finish
fi

note "unit and HTTP tests"
meson test -C build --print-errorlogs --verbose >"$OUT/tests.log" 2>&1
count_cmocka "$OUT/tests.log"

note "unit and HTTP tests under AddressSanitizer and UndefinedBehaviorSanitizer"
if setup_build build-asan "$OUT/setup-asan.log" -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debug && ninja -C build-asan >"$OUT/build-asan.log" 2>&1; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        meson test -C build-asan --print-errorlogs --verbose >"$OUT/tests-asan.log" 2>&1
    count_cmocka "$OUT/tests-asan.log"
else
    cat "$OUT/setup-asan.log" "$OUT/build-asan.log" 2>/dev/null; failed=$((failed + 1))
fi

if [ -x tests/tsan.sh ]; then
    note "HTTP tests under ThreadSanitizer (tests/tsan.sh)"
    if tests/tsan.sh >"$OUT/tests-tsan.log" 2>&1 || grep -qE '^Ok: +[0-9]+' "$OUT/tests-tsan.log"; then
        count_cmocka "$OUT/tests-tsan.log"
    else
        tail -20 "$OUT/tests-tsan.log"; failed=$((failed + 1)) # the build failed
    fi
fi

if [ -x tests/fuzz-smoke.sh ]; then
    note "fuzzing smoke run"
    tests/fuzz-smoke.sh >"$OUT/fuzz.log" 2>&1
    count_summary "$OUT/fuzz.log"
fi

for t in tests/py/test_*.py; do
    [ -e "$t" ] || continue
    note "python: $t"
    AULA_BIN=build/aula /usr/bin/python3 "$t" >"$OUT/$(basename "$t" .py).log" 2>&1
    count_summary "$OUT/$(basename "$t" .py).log"
done

if [ -x tests/e2e/run.sh ]; then
    note "browser tests"
    tests/e2e/run.sh build/aula >"$OUT/e2e.log" 2>&1
    count_summary "$OUT/e2e.log"
fi

note "licence lines (tools/spdx.py)"
/usr/bin/python3 tools/spdx.py >"$OUT/spdx.log" 2>&1
count_summary "$OUT/spdx.log"

for t in tests/front-door.sh tests/package.sh; do
    [ -x "$t" ] || continue
    note "$(basename "$t" .sh)"
    "$t" >"$OUT/$(basename "$t" .sh).log" 2>&1
    count_summary "$OUT/$(basename "$t" .sh).log"
done

finish
