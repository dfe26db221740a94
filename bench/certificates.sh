#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/certificates.sh [CERT_BENCH_BIN]: time to render, sign and write
# certificate PDFs, against the same pages drawn with bare cairo in the same
# invocation.  A benchmark to read, never a test: it fails only when it
# cannot run.
#
# CERT_BENCH_BIN defaults to build/cert_bench (built with the tests:
# meson setup build && ninja -C build); the script builds nothing.
# Tunables (env):
#   BENCH_CERTS=1000     certificates per run (aula and bare cairo each)
#   BENCH_THREADS=2      threads, each with its own cairo context
#   BENCH_OUT=           keep the PDFs in this directory (default: a
#                        temporary directory, removed afterwards)
#
# What is compared (see bench/cert_bench.c):
#   aula        facts -> canonical JSON -> Ed25519 signature -> pango layout
#               (shrink/wrap, missing-glyph check) -> QR code -> PDF with the
#               signed facts in its metadata -> PDF document signature (CMS,
#               ECDSA P-256, incremental update) -> file (cert_pdf_write_signed)
#   unsigned    the same without the document signature (cert_pdf_write)
#   bare cairo  the same texts at the same places with cairo's toy text API,
#               the same frame and rules; no shaping, no font fallback, no QR,
#               no signature, no metadata -> file
# Both spend most of their time inside cairo finishing the PDF (font
# subsetting and zlib), which is why the ratio, not the absolute time, is the
# figure to watch.  The goal: 1,000 certificates in under 5 s on two cores.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/cert_bench}
CERTS=${BENCH_CERTS:-1000}
THREADS=${BENCH_THREADS:-2}
OUT=${BENCH_OUT:-}

die() { echo "bench/certificates.sh: $*" >&2; exit 1; }

[ -x "$BIN" ] || die "no cert_bench at $BIN (build it: meson setup build && ninja -C build)"
for font in "Noto Serif" "DejaVu Serif"; do
    fc-list "$font" | grep -q . || die "font $font not installed (scripts/deps.sh installs it)"
done

# Percentage of CPU time idle over one second: other processes competing for
# the cores skew the wall times far more than anything measured here.
idle() {
    local a b
    a=$(awk '/^cpu /{ print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    sleep 1
    b=$(awk '/^cpu /{ print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
    echo "$a $b" | awk '{ printf "%.0f", ($4 - $2) ? 100 * ($3 - $1) / ($4 - $2) : 100 }'
}
idle_note() { # when
    local pct
    pct=$(idle)
    if [ "$pct" -lt 90 ]; then
        echo "  WARNING: CPUs only $pct% idle $1: other processes compete, wall times are" \
            "unreliable (CPU ms per certificate still hold)"
    else
        echo "  CPUs $pct% idle $1"
    fi
}

echo "bench/certificates.sh: $CERTS certificates, $THREADS threads, $(nproc) cores"
idle_note "before the run"
if [ -n "$OUT" ]; then
    timeout 600 "$BIN" "$CERTS" "$THREADS" "$OUT"
else
    timeout 600 "$BIN" "$CERTS" "$THREADS"
fi
idle_note "after the run"
