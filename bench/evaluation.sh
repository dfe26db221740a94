#!/bin/sh
# SPDX-License-Identifier: AGPL-3.0-or-later
# Benchmark: the evaluation results page and its XLSX for 2,000 answers to a
# questionnaire of 30 questions (every type), served by `aula serve` on
# 127.0.0.1.  Prints the median and worst of 9 requests each (after one
# warm-up).  Goal: under 200 ms each.  A benchmark to read, not a test.
set -eu
AULA=${1:-build/aula}
ANSWERS=${ANSWERS:-2000}
[ -x "$AULA" ] || { echo "no binary at $AULA: build first (meson setup build && ninja -C build)"; exit 1; }
command -v curl >/dev/null || { echo "curl is needed"; exit 1; }
TMP=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
"$AULA" init --data "$TMP/data" >/dev/null
"$AULA" import --data "$TMP/data" examples/sela-2022/programme.json >/dev/null
printf 'bench-password-1\n' | "$AULA" user add --data "$TMP/data" --role coordinator bench@example.org >/dev/null

# 30 questions of every type, and ANSWERS answers written straight to the
# database (as the store would: random ids, no person).
/usr/bin/python3 - "$TMP/data/aula.db" "$ANSWERS" <<'PY'
import json, random, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
random.seed(11)
t = lambda s: {'es': s, 'en': s}
opts = [t('Opción %d' % i) for i in range(5)]
qs = []
for i in range(14):
    qs.append({'key': 'a%d' % i, 'type': 'agree', 'required': True, 'text': t('Afirmación %d' % i)})
qs += [{'key': 'g', 'type': 'grid', 'text': t('Rejilla'), 'statements': [t('Fila %d' % i) for i in range(4)]},
       {'key': 's', 'type': 'single', 'text': t('Una'), 'options': opts},
       {'key': 'm', 'type': 'multi', 'text': t('Varias'), 'options': opts, 'min': 1, 'max': 3},
       {'key': 'n', 'type': 'nps', 'text': t('Recomendaría')},
       {'key': 'num', 'type': 'number', 'text': t('Horas'), 'min': 0, 'max': 100},
       {'key': 'y', 'type': 'yesno', 'text': t('Sí o no')},
       {'key': 'ba', 'type': 'before_after', 'text': t('Antes y después')},
       {'key': 'tr', 'type': 'trainer', 'text': t('Formador')},
       {'key': 'sh', 'type': 'short', 'text': t('Corta')}]
for i in range(7):
    qs.append({'key': 'l%d' % i, 'type': 'long', 'text': t('Larga %d' % i)})
assert len(qs) == 30
d = {'sections': [{'title': t('S'), 'questions': qs}]}
con = sqlite3.connect(db)
qid = con.execute("SELECT q.id FROM questionnaire q JOIN course c ON c.id = q.course_id"
                  " WHERE c.slug = 'cyberdiplomacy'").fetchone()[0]
con.execute("UPDATE questionnaire SET definition = ? WHERE id = ?", (json.dumps(d), qid))
words = 'curso sesión útil ritmo material práctica diplomacia ciberespacio ejemplo'.split()
rows = []
for r in range(n):
    a = {'a%d' % i: random.randint(0, 5) for i in range(14)}
    a.update({'g': [random.randint(0, 5) for _ in range(4)], 's': random.randint(0, 4),
              'm': random.sample(range(5), random.randint(1, 3)), 'n': random.randint(0, 10),
              'num': random.randint(0, 100), 'y': random.random() < .7,
              'ba': {'before': random.randint(1, 3), 'after': random.randint(2, 5)},
              'tr': {'mario-torres-jarrin': random.randint(1, 5), 'shaun-riordan': random.randint(1, 5)},
              'sh': ' '.join(random.choices(words, k=5))})
    for i in range(7):
        if random.random() < .3:
            a['l%d' % i] = ' '.join(random.choices(words, k=40))
    rows.append((random.getrandbits(62), qid, json.dumps(a, ensure_ascii=False)))
con.executemany("INSERT INTO evaluation_response (id, questionnaire_id, answers) VALUES (?, ?, ?)", rows)
con.commit()
PY

${PERF:+perf record -F 999 -g -o "$PERF" --} "$AULA" serve --data "$TMP/data" --listen 127.0.0.1:0 >"$TMP/out" 2>/dev/null &
PID=$!
URL=
for _ in $(seq 100); do
    URL=$(sed -n 's|^aula: listening on \(http://[^ ]*\)$|\1|p' "$TMP/out" | head -n 1)
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { echo "the server did not start"; exit 1; }
URL=$(echo "$URL" | sed 's/localhost/127.0.0.1/')

# Sign in as the coordinator (cookies in a jar).
JAR=$TMP/jar
curl -s -c "$JAR" -o /dev/null "$URL/login"
CSRF=$(awk '$6 == "aula_csrf" {print $7}' "$JAR")
curl -s -b "$JAR" -c "$JAR" -o /dev/null -d "csrf=$CSRF&email=bench%40example.org&password=bench-password-1" "$URL/login"

TICKS=$(getconf CLK_TCK)
# The server's user + system CPU time so far, in clock ticks: unlike wall
# time, it does not grow when other programs share the cores.
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
measure() { # NAME PATH
    curl -s -b "$JAR" -o "$TMP/body" -w '%{http_code} %{size_download}\n' "$URL$2" >"$TMP/first"
    read -r code size <"$TMP/first"
    [ "$code" = 200 ] || { echo "$1: HTTP $code"; exit 1; }
    cpu0=$(cpu)
    for _ in 1 2 3 4 5 6 7 8 9; do
        curl -s -b "$JAR" -o /dev/null -w '%{time_total}\n' "$URL$2"
    done | sort -n >"$TMP/times"
    cpu1=$(cpu)
    med=$(sed -n 5p "$TMP/times")
    worst=$(sed -n 9p "$TMP/times")
    printf '%s: median %.0f ms, worst %.0f ms wall; server CPU %.0f ms per request (%s bytes)\n' "$1" \
        "$(echo "$med * 1000" | bc -l)" "$(echo "$worst * 1000" | bc -l)" \
        "$(echo "($cpu1 - $cpu0) * 1000 / $TICKS / 9" | bc -l)" "$size"
}
echo "answers: $ANSWERS, questions: 30"
measure "results page (HTML with SVG charts)" /admin/events/sela-2022/courses/cyberdiplomacy/evaluation
measure "XLSX (answers, summary, native chart)" /admin/events/sela-2022/courses/cyberdiplomacy/evaluation.xlsx
