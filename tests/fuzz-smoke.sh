#!/bin/bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# A short fuzzing run of every parser (part of `make check`).
#
# Builds the libFuzzer targets of fuzz/ in build-fuzz (clang, ASan, UBSan),
# then runs each for a few seconds on a temporary copy of its seed corpus in
# fuzz/corpus/NAME, so the tree is never modified.  Each target counts as one
# test: passed when libFuzzer exits 0.  A crash keeps its input under
# test-output/fuzz/ and prints it with the sanitizer's report.  The last line
# is "N passed, N failed"; the exit status is non-zero when any failed.
#
# Environment: FUZZ_TIME (seconds per target, default 8), FUZZ_BUILD
# (default build-fuzz), FUZZ_TARGETS (names, default all).
#
# To reproduce a crash:  build-fuzz/fuzz/fuzz_NAME test-output/fuzz/NAME/crash-...
# To fuzz longer:        build-fuzz/fuzz/fuzz_NAME -max_total_time=600 DIR fuzz/corpus/NAME
set -u
cd "$(dirname "$0")/.."

BUILD=${FUZZ_BUILD:-build-fuzz}
TIME=${FUZZ_TIME:-8}
TARGETS=${FUZZ_TARGETS:-"form_urlencoded multipart template programme_json escape zoom_report pdf_check evaluation"}
OUT=test-output/fuzz
passed=0
failed=0

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

fail_all() {
    for t in $TARGETS; do
        echo "FAIL fuzz_$t: $1"
        failed=$((failed + 1))
    done
    finish
}

mkdir -p "$OUT"
if ! command -v clang >/dev/null; then
    fail_all "clang is not installed"
fi

if [ ! -f "$BUILD/build.ninja" ]; then
    echo "setting up $BUILD"
    if ! CC=clang meson setup "$BUILD" -Dfuzz=true -Dtests=disabled -Dwerror=true >"$OUT/setup.log" 2>&1; then
        cat "$OUT/setup.log"
        fail_all "meson setup failed"
    fi
else
    # An existing directory keeps whatever options it was set up with.
    CC=clang meson setup --reconfigure "$BUILD" -Dfuzz=true -Dtests=disabled -Dwerror=true \
        >"$OUT/setup.log" 2>&1
fi

# Only the fuzz targets: the rest of the program is built and tested by the
# other suites.
ninja_targets=()
for t in $TARGETS; do
    ninja_targets+=("fuzz/fuzz_$t")
done
if ! ninja -C "$BUILD" "${ninja_targets[@]}" >"$OUT/build.log" 2>&1; then
    cat "$OUT/build.log"
    fail_all "build failed"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for t in $TARGETS; do
    exe="$BUILD/fuzz/fuzz_$t"
    corpus="$tmp/$t"
    artifacts="$OUT/$t"
    log="$OUT/$t.log"
    mkdir -p "$corpus" "$artifacts"
    cp fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
    if [ "$t" = zoom_report ]; then
        # The report parser is also seeded with the test fixtures and, when
        # the shared folder is beside the project, the real exports.  The
        # first byte of an input picks the date, zones and language (5: 8 March
        # 2022, the fixtures' day, in Caracas).
        for f in tests/fixtures/zoom/*.csv tests/fixtures/zoom/*.txt ../shared/real-zoom/*.csv; do
            # Files over 200 kB would make every mutation slow.
            [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 200000 ] || continue
            { printf '\005'; cat "$f"; } >"$corpus/seed-$(basename "$f")"
        done
    fi
    start=$SECONDS
    # The outer timeout only guards against libFuzzer itself hanging.
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    timeout -k 5 $((TIME + 30)) "$exe" -max_total_time="$TIME" -timeout=5 \
        -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$artifacts/" \
        "$corpus" >"$log" 2>&1
    rc=$?
    runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        printf 'ok   fuzz_%s: %s runs in %ss\n' "$t" "${runs:-?}" $((SECONDS - start))
    else
        failed=$((failed + 1))
        printf 'FAIL fuzz_%s: exit status %s after %ss (log: %s)\n' "$t" "$rc" \
            $((SECONDS - start)) "$log"
        inputs=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log")
        for f in $inputs; do
            echo "  crashing input: $f"
            echo "  reproduce with: $exe $f"
            if [ "$(stat -c %s "$f")" -le 512 ]; then
                echo "  bytes (base64): $(base64 -w0 "$f")"
            fi
        done
        [ -z "$inputs" ] && echo "  no input was saved (the fuzzer itself failed; see the log)"
        # The report: from the sanitizer's or libFuzzer's first alarm on.
        first=$(grep -nE '^==[0-9]+==|runtime error|invariant broken|ALARM|deadly signal|out-of-memory|Test unit written' "$log" | head -1 | cut -d: -f1)
        echo "  ---- report ----"
        if [ -n "$first" ]; then
            tail -n +"$first" "$log" | head -80 | sed 's/^/  /'
        else
            tail -40 "$log" | sed 's/^/  /'
        fi
        echo "  ----------------"
    fi
done

finish
