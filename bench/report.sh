#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# bench/report.sh [AULA_BIN]: time to write the final report (PDF in
# Spanish and English, with and without the list of participants, XLSX,
# HTML) for an edition of 1,000 participants and 8 course days with
# attendance imported and certificates issued.  A benchmark to read, never
# a test: it fails only when it cannot run.  The goal: the PDF in under 2 s.
#
# Tunables (env): BENCH_PEOPLE=1000, BENCH_RUNS=3 (the best run is printed).
# Evaluation answers are not generated until the evaluation is integrated
# (the report's evaluation section reads them through
# report_evaluation_source; see src/pages/report.h).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${1:-$ROOT/build/aula}
PEOPLE=${BENCH_PEOPLE:-1000}
RUNS=${BENCH_RUNS:-3}
die() { echo "bench/report.sh: $*" >&2; exit 1; }
[ -x "$BIN" ] || die "no aula at $BIN (meson setup build && ninja -C build)"
command -v sqlite3 >/dev/null || die "sqlite3 is not installed"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/aula-report-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
DATA=$TMP/data

# The SELA programme with each course's two days repeated a week later:
# 8 course days in all.
python3 - "$ROOT/examples/sela-2022/programme.json" "$TMP/programme.json" <<'PY'
import copy, json, sys, datetime
p = json.load(open(sys.argv[1]))
for c in p['edition']['courses']:
    extra = []
    for d in c['days']:
        e = copy.deepcopy(d)
        day = datetime.date.fromisoformat(d['date']) + datetime.timedelta(days=7)
        e['date'] = day.isoformat()
        extra.append(e)
    c['days'] += extra
p['edition']['ends_on'] = '2022-03-31'
json.dump(p, open(sys.argv[2], 'w'), ensure_ascii=False)
PY
timeout 60 "$BIN" init --data "$DATA" >/dev/null 2>&1 || die "aula init failed"
timeout 60 "$BIN" import --data "$DATA" "$TMP/programme.json" >/dev/null || die "aula import failed"

# PEOPLE applicants over 20 member states, every status; the registered
# ones attend with varied minutes; certificates for most of them.
python3 - "$PEOPLE" >"$TMP/people.sql" <<'PY'
import sys, random, calendar, time
random.seed(18)
n = int(sys.argv[1])
countries = ['AR','BB','BO','BR','BS','BZ','CL','CO','CR','CU','DO','EC','GT','GY','HN','HT','JM','MX','NI','PA']
genders = ['female','male','other','undisclosed']
itypes = ['foreign_ministry','public_body','academia','international_organisation','other']
forms = ['ambassador','minister','counsellor','secretary','dr','mr','ms']
statuses = ['registered']*7 + ['accepted','waitlisted','rejected','withdrawn']
print('BEGIN;')
for i in range(n):
    e = f'p{i}@bench.example'
    print(f"INSERT INTO account (email, role, created_at) VALUES ('{e}', 'participant', '2026-01-01T00:00:00Z');")
    print("INSERT INTO application (edition_id, account_id, email, form_of_address, given_names, family_names, gender, country, institution_type, institution, position, language, consent_at, submission_key, created_at) "
          f"SELECT e.id, a.id, a.email, '{random.choice(forms)}', 'Nombre{i}', 'Apellido Largo {i}', '{random.choice(genders)}', '{random.choice(countries)}', '{random.choice(itypes)}', 'Ministerio de Relaciones Exteriores y Culto número {i}', 'Director de Asuntos Multilaterales', '{random.choice(['es','en'])}', '2026-01-01T00:00:00Z', 'b{i}', '2026-01-01T00:00:00Z' FROM edition e, account a WHERE e.slug = 'sela-2022' AND a.email = '{e}';")
    course = 'cyberdiplomacy' if i % 2 == 0 else 'techplomacy'
    print(f"INSERT INTO enrolment (application_id, course_id, status, status_at) SELECT ap.id, c.id, '{random.choice(statuses)}', '2026-01-01T00:00:00Z' FROM application ap, course c WHERE ap.email = '{e}' AND c.slug = '{course}';")
print("INSERT INTO attendance_import (course_day_id, file_name, time_zone, shape, rows, imported_at, imported_by) SELECT id, 'zoom.csv', 'UTC', 'participants', 0, '2026-01-01T00:00:00Z', 'bench' FROM course_day;")
print("""INSERT INTO attendance_row (import_id, line, name, original_name, email, join_utc, leave_utc, waiting_room, guest)
 SELECT i.id, ap.id, ap.given_names, ap.given_names, ap.email,
        CAST(strftime('%s', d.day || 'T13:00:00Z') AS INTEGER) + (ap.id % 7) * 600,
        CAST(strftime('%s', d.day || 'T17:00:00Z') AS INTEGER) - (ap.id % 5) * 900, 0, 0
 FROM attendance_import i JOIN course_day d ON d.id = i.course_day_id
 JOIN enrolment n ON n.course_id = d.course_id AND n.status = 'registered'
 JOIN application ap ON ap.id = n.application_id WHERE ap.id % 9 <> 0;""")
print("""INSERT INTO certificate (number, enrolment_id, facts, signature, key_id, status, issued_at, issued_by)
 SELECT 'B-' || n.id, n.id, '{}', 'x', 'k', CASE WHEN n.id % 50 = 0 THEN 'revoked' ELSE 'valid' END,
        '2026-01-01T00:00:00Z', 'bench' FROM enrolment n WHERE n.status = 'registered' AND n.application_id % 9 <> 0;""")
print('COMMIT;')
PY
sqlite3 "$DATA/aula.db" <"$TMP/people.sql" || die "loading the participants failed"
echo "report of $PEOPLE applicants ($(sqlite3 "$DATA/aula.db" "SELECT count(*) FROM enrolment WHERE status = 'registered'") registered), $(sqlite3 "$DATA/aula.db" 'SELECT count(*) FROM course_day') course days, $(sqlite3 "$DATA/aula.db" 'SELECT count(*) FROM attendance_row') attendance rows, 0 evaluation answers"

best() { # label args...: the best wall time of RUNS runs, in ms
    local label=$1 b=
    shift
    for _ in $(seq "$RUNS"); do
        local t0 t1 ms
        t0=$(date +%s%N)
        timeout 120 "$BIN" report --data "$DATA" --event sela-2022 "$@" >/dev/null || die "$label failed"
        t1=$(date +%s%N)
        ms=$(( (t1 - t0) / 1000000 ))
        if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
    done
    local out=${*: -1}
    printf '  %-34s %6d ms  %8d bytes\n' "$label" "$b" "$(stat -c %s "$out")"
}
best "PDF, Spanish" --lang es --format pdf -o "$TMP/r-es.pdf"
best "PDF, English" --lang en --format pdf -o "$TMP/r-en.pdf"
best "PDF, Spanish, with participants" --lang es --format pdf --participants -o "$TMP/r-es-p.pdf"
best "XLSX, with participants" --lang en --format xlsx --participants -o "$TMP/r.xlsx"
best "HTML" --lang en --format html -o "$TMP/r.html"
echo "  pages: $(pdfinfo "$TMP/r-es.pdf" 2>/dev/null | awk '/^Pages/{print $2}') without, $(pdfinfo "$TMP/r-es-p.pdf" 2>/dev/null | awk '/^Pages/{print $2}') with the list of participants"
