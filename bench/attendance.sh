#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Benchmark: importing a 100,000-row Zoom participants report.
#
# Measures `aula attendance import` (parse, convert times, replace the
# day's rows in one transaction) against a reference run in the same
# invocation: the sqlite3 shell loading the same CSV into a bare table
# (.import), i.e. the cost of just getting the rows into SQLite.
# Prints both times and the ratio.  A benchmark to read, not a test.
set -eu
AULA=${1:-build/aula}
ROWS=${ROWS:-100000}
[ -x "$AULA" ] || { echo "no binary at $AULA: build first (meson setup build && ninja -C build)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed (scripts/deps.sh --test)"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# A report in the older Title Case shape: rejoins, two devices, guests.
/usr/bin/python3 - "$TMP/report.csv" "$ROWS" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
with open(path, 'w', newline='') as f:
    f.write('Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent\r\n')
    for i in range(n):
        p = i % 4000
        h = 8 + (i % 5)
        m = (i * 7) % 60
        h2 = min(h + 1 + (i % 3), 13)
        email = '' if p % 50 == 0 else 'person%04d@example.org' % p
        f.write('Person %d (Persona Número %d),%s,03/21/2022 %02d:%02d:13 %s,03/21/2022 %02d:%02d:00 %s,60,No,Y\r\n' % (
            p, p, email, h if h <= 12 else h - 12, m, 'AM' if h < 12 else 'PM',
            h2 if h2 <= 12 else h2 - 12, m, 'AM' if h2 < 12 else 'PM'))
PY
"$AULA" init --data "$TMP/data" >/dev/null
"$AULA" import --data "$TMP/data" examples/sela-2022/programme.json >/dev/null

now() { date +%s.%N; }

t0=$(now)
"$AULA" attendance import --data "$TMP/data" --event sela-2022 --course cyberdiplomacy \
    --date 2022-03-21 --tz America/Caracas "$TMP/report.csv" >/dev/null
t1=$(now)
sqlite3 "$TMP/bare.db" "CREATE TABLE r (name TEXT, email TEXT, j TEXT, l TEXT, d INT, g TEXT, c TEXT);" \
    ".mode csv" ".import --skip 1 $TMP/report.csv r"
t2=$(now)

rows=$(sqlite3 "$TMP/data/aula.db" "SELECT count(*) FROM attendance_row")
aula=$(echo "$t1 - $t0" | bc -l)
bare=$(echo "$t2 - $t1" | bc -l)
printf 'rows imported: %s\n' "$rows"
printf 'aula attendance import: %.3f s (whole command: start-up, parse, UTC conversion, one transaction)\n' "$aula"
printf 'reference, sqlite3 .import of the same CSV into a bare table: %.3f s\n' "$bare"
printf 'ratio aula/reference: %.2f\n' "$(echo "$aula / $bare" | bc -l)"
