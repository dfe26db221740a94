#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Installs the Debian packages Aula needs to build and run, and with --test
# also those its tests need (make check).  Idempotent and silent when
# everything is already present: it asks dpkg first and only calls apt-get
# for what is missing.
set -eu

BUILD="build-essential pkg-config meson ninja-build gettext"
LIBS="libmicrohttpd-dev libsqlite3-dev libjansson-dev libinih-dev libsodium-dev
      libcurl4-openssl-dev libcairo2-dev libpango1.0-dev libqrencode-dev libjpeg-dev
      libxlsxwriter-dev libmagic-dev libzip-dev zlib1g-dev libssl-dev fonts-dejavu-core fonts-noto-core tzdata"
TEST="libcmocka-dev curl nginx-light wrk sqlite3 python3 python3-aiosmtpd python3-icalendar
      python3-jwcrypto poppler-utils qpdf openssl zbar-tools chromium libreoffice-calc-nogui
      clang libclang-rt-14-dev git debhelper dpkg-dev fakeroot lintian man-db
      openjdk-17-jre-headless"

want="$BUILD $LIBS"
if [ "${1:-}" = "--test" ]; then
    want="$want $TEST"
    # Browser tests need node and npm; a machine may carry a newer Node.js
    # (with its own npm) than Debian's, which conflicts with Debian's npm.
    command -v npm >/dev/null 2>&1 || want="$want nodejs npm"
fi

missing=""
for p in $want; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "Installing missing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
