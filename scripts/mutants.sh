#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# make mutants: installs libclang's Python bindings when missing (Debian has
# no mutation tool for C; scripts/mutants.py is built on libclang), then runs
# the mutation tests.  Not part of make check: it takes up to 30 minutes.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh --test
if ! dpkg-query -W -f='${Status}' python3-clang-14 2>/dev/null | grep -q "ok installed"; then
    echo "Installing missing Debian packages: python3-clang-14"
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends python3-clang-14 >/dev/null
fi
exec /usr/bin/python3 scripts/mutants.py "$@"
