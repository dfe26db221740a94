#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Creates the demo data directory once: the SELA 2022 programme and a demo
# administrator whose password is kept beside the data for the newcomer.
set -eu
AULA=$1
DATA=$2
if [ ! -f "$DATA/aula.db" ]; then
    "$AULA" init --data "$DATA" >/dev/null
    "$AULA" import --data "$DATA" examples/sela-2022/programme.json >/dev/null
    pw=$(head -c 12 /dev/urandom | base64 | tr -d '/+=' | cut -c1-16)
    printf '%s\n' "$pw" | "$AULA" user add --data "$DATA" --role admin admin@example.org >/dev/null
    printf 'email: admin@example.org\npassword: %s\n' "$pw" > "$DATA/demo-admin.txt"
    chmod 600 "$DATA/demo-admin.txt"
fi
echo "Aula demo: http://localhost:8080/  (console: http://localhost:8080/admin, credentials in $DATA/demo-admin.txt)"
