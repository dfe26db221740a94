#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# ThreadSanitizer: builds aula and the tests with -fsanitize=thread in
# build-tsan and runs the HTTP tests (the server's request threads, the page
# cache, the mail workers and the per-thread database connections all run
# there).  A race reported in the server makes it exit (halt_on_error), so the
# test talking to it fails; a race in a test program fails that program.
# Suppressions (tests/tsan.supp) name only the insides of third-party
# libraries, each with its reason.  Ends with cmocka's summaries, which
# scripts/check.sh counts.
#
# TSAN_HTTP_TESTS may name a subset (space-separated meson test names) when
# time is short; by default every HTTP test runs.
set -u
cd "$(dirname "$0")/.."
dir=build-tsan
if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" -Dwerror=true -Dtests=enabled -Db_sanitize=thread \
        -Db_lundef=false -Dbuildtype=debug >/dev/null || exit 1
else
    meson setup "$dir" -Dwerror=true -Dtests=enabled -Db_sanitize=thread \
        -Db_lundef=false -Dbuildtype=debug >/dev/null || exit 1
fi
ninja -C "$dir" >/dev/null || { ninja -C "$dir"; exit 1; }

export TSAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=66:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
# TSan needs the address layout it knows; some kernels randomise more than
# that, so run without address randomisation where setarch allows it.
run=()
if setarch "$(uname -m)" -R true 2>/dev/null; then
    run=(setarch "$(uname -m)" -R)
fi
if [ -n "${TSAN_HTTP_TESTS:-}" ]; then
    # shellcheck disable=SC2086
    "${run[@]}" meson test -C "$dir" --print-errorlogs --verbose --timeout-multiplier 3 \
        $TSAN_HTTP_TESTS
else
    "${run[@]}" meson test -C "$dir" --print-errorlogs --verbose --timeout-multiplier 3 \
        --suite http
fi
