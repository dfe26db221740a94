/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "zoom_report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/text.h"
#include "../base/timeutil.h"
#include "csv_reader.h"
#include "zoom_headers.h"
#include "zoom_dates.h"
#include "zoom_parse.h"

/* The columns Aula needs, as written in messages. */
#define EXPECTED_COLUMNS_EN \
    "Name (Original Name), User Email, Join Time and Leave Time (current exports spell " \
    "them Name (original name), Email, Join time and Leave time; Spanish ones Nombre (nombre " \
    "original), E-mail del usuario, Hora para unirse and Hora para salir)"
#define EXPECTED_COLUMNS_ES \
    "Name (Original Name), User Email, Join Time y Leave Time (las exportaciones actuales " \
    "las escriben Name (original name), Email, Join time y Leave time; las en español, " \
    "Nombre (nombre original), E-mail del usuario, Hora para unirse y Hora para salir)"

void zoom_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

const char *zoom_no_memory(lang_t lang)
{
    return ES_EN(lang, "No hay memoria suficiente para leer el archivo.",
                 "Not enough memory to read the file.");
}

/* Copies s into out (at most n - 1 bytes, cut at a character boundary,
 * "…" marking a cut). */
static void excerpt(const char *s, char *out, size_t n)
{
    size_t len = strlen(s);
    if (len < n) {
        memcpy(out, s, len + 1);
        return;
    }
    size_t k = n > 4 ? n - 4 : 0;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    memcpy(out, s, k);
    memcpy(out + k, "\xe2\x80\xa6", 4);
}

/* --------------------------------------------------------------- parse */

/* What pass one keeps of a row for the date pass. */
struct pending {
    struct dt join, leave;
    size_t off;          /* the record's offset, to quote it in a message */
    int join_col, leave_col;
};

static const char *copy_lower(arena *a, const char *s)
{
    if (!*s)
        return NULL;
    char *c = arena_strdup(a, s);
    if (c)
        for (char *p = c; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
    return c;
}

/* "Ana (Ana María Pérez)" -> "Ana" and "Ana María Pérez". */
static bool split_name(arena *a, const char *cell, const char **name, const char **orig)
{
    size_t n = strlen(cell);
    *orig = NULL;
    if (n > 1 && cell[n - 1] == ')') {
        int depth = 0;
        size_t k = n;
        while (k-- > 0) {
            if (cell[k] == ')')
                depth++;
            else if (cell[k] == '(' && --depth == 0)
                break;
        }
        if (depth == 0 && k != (size_t)-1) {
            size_t e = k;
            while (e > 0 && (cell[e - 1] == ' ' || cell[e - 1] == '\t'))
                e--;
            size_t ob = k + 1, oe = n - 1;
            while (ob < oe && (cell[ob] == ' ' || cell[ob] == '\t'))
                ob++;
            while (oe > ob && (cell[oe - 1] == ' ' || cell[oe - 1] == '\t'))
                oe--;
            if (e > 0) {
                *name = arena_strndup(a, cell, e);
                if (oe > ob && !(*orig = arena_strndup(a, cell + ob, oe - ob)))
                    return false;
                return *name != NULL;
            }
        }
    }
    *name = arena_strdup(a, cell);
    return *name != NULL;
}

enum section { SEC_NONE, SEC_ATTENDEE, SEC_STAFF, SEC_OTHER };

/* Webinar section titles; -1 when s is not one. */
static int section_title(const char *s, bool webinar)
{
    char key[64];
    if (!zoom_header_key(s, key, sizeof key))
        return -1;
    if (strcmp(key, "attendee report") == 0 || strcmp(key, "webinar report") == 0)
        return SEC_NONE;
    if (strcmp(key, "attendee details") == 0)
        return SEC_ATTENDEE;
    if (strcmp(key, "host details") == 0 || strcmp(key, "panelist details") == 0 ||
        strcmp(key, "panelists details") == 0)
        return SEC_STAFF;
    if (strcmp(key, "other attended") == 0)
        return SEC_OTHER;
    size_t n = strlen(key);
    if (webinar && ((n > 8 && strcmp(key + n - 8, " details") == 0) ||
                    (n > 7 && strcmp(key + n - 7, " report") == 0)))
        return SEC_OTHER;
    return -1;
}

struct parse {
    arena *a;
    const char *data;
    size_t len;
    const char *tz;
    lang_t lang;
    struct zoom_report *out;
    char *err;
    size_t errlen;
    struct csv csv;
    char *buf;
    struct pending *pend;
    size_t cap;
    char sep;
    bool has_date;        /* the session's date is known: sy-sm-sd */
    bool force_day_first; /* read ambiguous numeric dates day first */
    int sy, sm, sd;
    struct dt *meet_start; /* each meeting's start as read (kind 0 when none) */
    size_t *meet_off;      /* and the record it is on */
    int *meet_col;
    const char **meet_text; /* the start as written, to tell meetings apart */
};

/* A file names at most this many meetings (a combined export of a month of
 * classes has a few dozen). */
enum { ZOOM_MAX_MEETINGS = 512 };

/* The raw text of one cell of the record at off, for a message. */
static void cell_text(struct parse *ps, size_t off, int col, char *out, size_t n)
{
    struct csv c;
    csv_reread(ps->data, ps->len, off, ps->sep, &c, ps->buf);
    excerpt(csv_field(&c, col), out, n);
}

/* A record's cells joined by commas, trailing empty ones left out. */
static void record_text(struct parse *ps, size_t off, char *out, size_t n)
{
    struct csv c;
    csv_reread(ps->data, ps->len, off, ps->sep, &c, ps->buf);
    size_t last = c.nf;
    while (last > 0 && !c.f[last - 1][0])
        last--;
    char joined[512];
    size_t k = 0;
    for (size_t i = 0; i < last && k + 1 < sizeof joined; i++) {
        int w = snprintf(joined + k, sizeof joined - k, "%s%s", i ? "," : "", c.f[i]);
        if (w < 0)
            break;
        k += (size_t)w;
    }
    joined[k < sizeof joined ? k : sizeof joined - 1] = '\0';
    excerpt(joined, out, n);
}

static bool order_consistent(const struct pending *pd, size_t n, bool day_first)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        int jm, jd, lm, ld;
        if (!dt_month_day(&pd[i].join, day_first, &jm, &jd) || !dt_month_day(&pd[i].leave, day_first, &lm, &ld))
            return false;
        int64_t j = dt_naive(&pd[i].join, jm, jd), l = dt_naive(&pd[i].leave, lm, ld);
        if (l < j || l - j > 86400)
            return false;
        if (j < lo)
            lo = j;
        if (l > hi)
            hi = l;
    }
    return n == 0 || hi - lo <= 7 * 86400;
}

/* Whether some numeric date of the file (a join, or a meeting's start),
 * read in this order, is within a day of the session's date (the
 * exporting account's zone may differ from the edition's). */
static bool on_session_day(const struct parse *ps, size_t n, bool day_first)
{
    int64_t want = dt_naive(&(struct dt){.y = (int16_t)ps->sy, .kind = DT_YMD}, ps->sm, ps->sd) / 86400;
    for (size_t i = 0; i < n + ps->out->nmeetings; i++) {
        const struct dt *t = i < n ? &ps->pend[i].join : &ps->meet_start[i - n];
        int m, d;
        if (t->kind != DT_NUM || !dt_month_day(t, day_first, &m, &d))
            continue;
        int64_t day = dt_naive(t, m, d) / 86400;
        if (day >= want - 1 && day <= want + 1)
            return true;
    }
    return false;
}

static bool decide_order(struct parse *ps, size_t n, int first_gt12, size_t first_off,
                         int second_gt12, size_t second_off, const int *cols)
{
    struct zoom_report *r = ps->out;
    if (first_gt12 && second_gt12) {
        char a[80], b[80];
        cell_text(ps, first_off, cols[0], a, sizeof a);
        cell_text(ps, second_off, cols[1], b, sizeof b);
        zoom_errf(ps->err, ps->errlen,
             ES_EN(ps->lang,
                   "El archivo mezcla dos órdenes de fecha: la línea %d tiene «%s» (día primero) "
                   "y la línea %d tiene «%s» (mes primero). Exporte nuevamente el informe desde "
                   "Zoom e impórtelo sin abrirlo en una hoja de cálculo.",
                   "The file mixes two date orders: line %d has \"%s\" (day first) and line %d "
                   "has \"%s\" (month first). Export the report from Zoom again and import it "
                   "without opening it in a spreadsheet."),
             first_gt12, a, second_gt12, b);
        return false;
    }
    if (first_gt12) {
        r->day_first = true;
        return true;
    }
    if (second_gt12)
        return true;
    bool ambiguous = false;
    for (size_t i = 0; i < n && !ambiguous; i++)
        ambiguous = (ps->pend[i].join.kind == DT_NUM && ps->pend[i].join.a != ps->pend[i].join.b) ||
                    (ps->pend[i].leave.kind == DT_NUM &&
                     ps->pend[i].leave.a != ps->pend[i].leave.b);
    for (size_t i = 0; i < r->nmeetings && !ambiguous; i++)
        ambiguous = ps->meet_start[i].kind == DT_NUM && ps->meet_start[i].a != ps->meet_start[i].b;
    if (!ambiguous)
        return true;
    bool mf = order_consistent(ps->pend, n, false), df = order_consistent(ps->pend, n, true);
    if (ps->force_day_first) {
        /* Asked for the other reading, to name its dates in a refusal. */
        r->day_first = true;
        r->date_order_guessed = true;
        return true;
    }
    if (ps->has_date) {
        /* The reading that puts the report on the session's day decides. */
        bool mf_day = mf && on_session_day(ps, n, false), df_day = df && on_session_day(ps, n, true);
        if (mf_day != df_day) {
            r->day_first = df_day;
            return true;
        }
    }
    if (!mf && df)
        r->day_first = true;
    else
        r->date_order_guessed = mf && df;
    return true;
}

static bool convert(struct parse *ps, struct zone_cache *tc, const struct dt *t, size_t off, int col,
                    int line, time_t *out)
{
    int m, d;
    if (t->kind == DT_ABS) {
        *out = t->abs;
        return true;
    }
    char v[80];
    if (!dt_month_day(t, ps->out->day_first, &m, &d)) {
        cell_text(ps, off, col, v, sizeof v);
        zoom_errf(ps->err, ps->errlen,
             ES_EN(ps->lang,
                   "Línea %d: «%s» no es una fecha si se lee %s, como se lee el resto del archivo.",
                   "Line %d: \"%s\" is not a date when read %s, as the rest of the file is."),
             line, v,
             ps->out->day_first
                 ? ES_EN(ps->lang, "con el día primero (21/03/2022)", "day first (21/03/2022)")
                 : ES_EN(ps->lang, "con el mes primero (03/21/2022)", "month first (03/21/2022)"));
        return false;
    }
    int rc = zone_cache_convert(tc, t->y, m, d, t->h, t->mi, t->s, out);
    if (rc == -1) {
        zoom_errf(ps->err, ps->errlen, "%s", zoom_no_memory(ps->lang));
        return false;
    }
    if (rc == -2) {
        zoom_errf(ps->err, ps->errlen,
             ES_EN(ps->lang,
                   "Línea %d: el archivo tiene fechas en más de %d días distintos, y un informe "
                   "de Zoom corresponde a una sola reunión. Exporte por separado el informe de "
                   "cada reunión.",
                   "Line %d: the file has dates on more than %d different days; a Zoom report "
                   "covers one meeting. Export each meeting's report separately."),
             line, ZOOM_MAX_DATES);
        return false;
    }
    if (rc == 0) {
        cell_text(ps, off, col, v, sizeof v);
        zoom_errf(ps->err, ps->errlen,
             ES_EN(ps->lang, "Línea %d: «%s» no se puede convertir desde la zona horaria %s.",
                   "Line %d: \"%s\" cannot be converted from time zone %s."),
             line, v, ps->tz);
        return false;
    }
    return true;
}

static bool finish_dates(struct parse *ps, size_t n)
{
    struct zone_cache tc = {.tz = ps->tz};
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        struct zoom_row *row = &ps->out->rows[i];
        const struct pending *p = &ps->pend[i];
        ok = convert(ps, &tc, &p->join, p->off, p->join_col, row->line, &row->join) &&
             convert(ps, &tc, &p->leave, p->off, p->leave_col, row->line, &row->leave);
        if (ok && row->leave < row->join) {
            char j[80], l[80];
            cell_text(ps, p->off, p->join_col, j, sizeof j);
            cell_text(ps, p->off, p->leave_col, l, sizeof l);
            zoom_errf(ps->err, ps->errlen,
                 ES_EN(ps->lang,
                       "Línea %d: la hora de salida «%s» es anterior a la hora de ingreso «%s». "
                       "Revise esa línea del archivo o exporte nuevamente el informe desde Zoom.",
                       "Line %d: the leave time \"%s\" is before the join time \"%s\". Check "
                       "that line of the file, or export the report from Zoom again."),
                 row->line, l, j);
            ok = false;
        }
    }
    for (size_t i = 0; i < ps->out->nmeetings && ok; i++) {
        const struct dt *t = &ps->meet_start[i];
        int m, d;
        if (!t->kind)
            continue;
        if (t->kind == DT_ABS)
            ps->out->meetings[i].start = t->abs;
        else if (dt_month_day(t, ps->out->day_first, &m, &d))
            ok = convert(ps, &tc, t, ps->meet_off[i], ps->meet_col[i], ps->out->meetings[i].line,
                         &ps->out->meetings[i].start);
    }
    zone_cache_free(&tc);
    return ok;
}

bool zoom_fail(struct zoom_report *out)
{
    *out = (struct zoom_report){0};
    return false;
}

/* The meeting of (id, start) as the record at c names it: the one already
 * seen, else a new one.  -1 when there are too many (an error is set). */
static int meeting_of(struct parse *ps, const struct csv *c, int id_col, int topic_col,
                      int start_col)
{
    struct zoom_report *r = ps->out;
    const char *id = csv_field(c, id_col), *start = csv_field(c, start_col);
    for (size_t k = r->nmeetings; k-- > 0;) {
        struct zoom_meeting *m = &r->meetings[k];
        if (strcmp(m->id, id) == 0 && strcmp(ps->meet_text[k], start) == 0)
            return (int)k;
    }
    if (r->nmeetings >= ZOOM_MAX_MEETINGS) {
        zoom_errf(ps->err, ps->errlen,
             ES_EN(ps->lang,
                   "Línea %d: el archivo nombra más de %d reuniones. Exporte por separado el "
                   "informe de cada reunión.",
                   "Line %d: the file names more than %d meetings. Export each meeting's report "
                   "separately."),
             c->rec_line, ZOOM_MAX_MEETINGS);
        return -1;
    }
    size_t k = r->nmeetings;
    struct zoom_meeting *m = &r->meetings[k];
    m->id = arena_strdup(ps->a, id);
    m->topic = arena_strdup(ps->a, csv_field(c, topic_col));
    ps->meet_text[k] = arena_strdup(ps->a, start);
    if (!m->id || !m->topic || !ps->meet_text[k]) {
        zoom_errf(ps->err, ps->errlen, "%s", zoom_no_memory(ps->lang));
        return -1;
    }
    m->line = c->rec_line;
    m->nrows = 0;
    m->start = 0;
    ps->meet_start[k] = (struct dt){0};
    if (*start && !dt_parse(start, &ps->meet_start[k]))
        ps->meet_start[k] = (struct dt){0};
    ps->meet_off[k] = c->rec_off;
    ps->meet_col[k] = start_col;
    r->nmeetings++;
    return (int)k;
}

static bool parse_records(struct parse *ps)
{
    struct zoom_report *r = ps->out;
    struct csv *c = &ps->csv;
    struct cols cur = {{0}, NULL}, m;
    bool have_header = false, seen_header = false, webinar = false, meeting = false;
    bool combined = false;
    int cur_meeting = -1, block_id_col = -1, block_start_col = -1;
    enum section section = SEC_NONE;
    int topic_col = -1; /* the next record is the meeting block's data row */
    bool first_seen = false;
    size_t first_off = 0;
    int partial_line = 0;
    struct cols partial = {{0}, NULL};
    int gt12_first = 0, gt12_second = 0;
    size_t gt12_first_off = 0, gt12_second_off = 0;
    int gt12_cols[2] = {0, 0};
    size_t n = 0;
    int rc;
    char v[80];

    while ((rc = csv_next(c)) == 1) {
        size_t ne = csv_nonempty(c);
        if (ne == 0)
            continue;
        if (!first_seen) {
            first_seen = true;
            first_off = c->rec_off;
        }
        if (topic_col >= 0) {
            excerpt(csv_field(c, topic_col), r->topic, sizeof r->topic);
            if ((cur_meeting = meeting_of(ps, c, block_id_col, topic_col, block_start_col)) < 0)
                return false;
            topic_col = -1;
            continue;
        }
        int sec;
        if (ne == 1 && c->f[0][0] && (sec = section_title(c->f[0], webinar)) >= 0) {
            webinar = true;
            section = (enum section)sec;
            have_header = false;
            continue;
        }
        if (!have_header) {
            zoom_map_header(c, &m);
            if (has(&m, R_USAGE) && !has(&m, R_JOIN)) {
                zoom_errf(ps->err, ps->errlen,
                     ES_EN(ps->lang,
                           "Este archivo es la lista de reuniones del informe de uso de Zoom (la "
                           "línea %d tiene «%s»), no el informe de participantes de una reunión. "
                           "En Zoom, abra Informes > Uso (\"Reports > Usage\"), haga clic en el "
                           "número de participantes de la reunión y exporte esa lista.",
                           "This is the meeting list of Zoom's Usage report (line %d has \"%s\"), "
                           "not a meeting's Participants report. In Zoom open Reports > Usage, "
                           "click the meeting's number of participants and export that list."),
                     c->rec_line, c->f[m.at[R_USAGE]]);
                return false;
            }
            if (has(&m, R_NAME) && has(&m, R_TOTAL) && !has(&m, R_JOIN) && !has(&m, R_LEAVE)) {
                char total[80];
                excerpt(c->f[m.at[R_TOTAL]], total, sizeof total);
                zoom_errf(ps->err, ps->errlen,
                     ES_EN(ps->lang,
                           "Este archivo es la exportación de «usuarios únicos» de Zoom (la "
                           "línea %d tiene %s en lugar de Join Time y "
                           "Leave Time): una duración total por persona no permite calcular la "
                           "asistencia a cada bloque de la sesión. En Zoom, abra Informes > Uso "
                           "(\"Reports > Usage\"), haga clic en el número de participantes de "
                           "la reunión, desmarque «Mostrar usuarios únicos» (\"Show unique "
                           "users\") y vuelva a exportar.",
                           "This is Zoom's \"unique users\" export (line %d has %s instead of "
                           "Join Time and Leave Time): one total per person "
                           "cannot be clipped to the session's blocks. In Zoom open Reports > "
                           "Usage, click the meeting's number of participants, untick \"Show "
                           "unique users\" and export again."),
                     c->rec_line, total);
                return false;
            }
            if (has(&m, R_NAME) && has(&m, R_EMAIL) && has(&m, R_JOIN) && has(&m, R_LEAVE)) {
                cur = m;
                have_header = seen_header = true;
                if (m.lang && !r->interface_lang)
                    r->interface_lang = m.lang;
                /* The combined export repeats its meeting's columns on every row. */
                if (has(&m, R_START) && (has(&m, R_ID) || has(&m, R_MEETING_ID)))
                    combined = true;
                continue;
            }
            if (has(&m, R_TOPIC) && !has(&m, R_JOIN) &&
                (has(&m, R_MEETING_ID) || has(&m, R_WEBINAR_ID) || has(&m, R_ID) ||
                 has(&m, R_HOST))) {
                if (has(&m, R_WEBINAR_ID))
                    webinar = true;
                else
                    meeting = true;
                topic_col = m.at[R_TOPIC];
                block_id_col = has(&m, R_MEETING_ID) ? m.at[R_MEETING_ID]
                               : has(&m, R_WEBINAR_ID) ? m.at[R_WEBINAR_ID] : m.at[R_ID];
                block_start_col = m.at[R_START];
                continue;
            }
            int found = has(&m, R_NAME) + has(&m, R_EMAIL) + has(&m, R_JOIN) + has(&m, R_LEAVE);
            if (found >= 2 && !partial_line) {
                partial_line = c->rec_line;
                partial = m;
            }
            continue;
        }

        /* A data row. */
        if (webinar && (section == SEC_STAFF || section == SEC_OTHER)) {
            if (section == SEC_STAFF)
                r->skipped_staff++;
            continue;
        }
        const char *join = csv_field(c, cur.at[R_JOIN]), *leave = csv_field(c, cur.at[R_LEAVE]);
        const char *name = csv_field(c, cur.at[R_NAME]), *email = csv_field(c, cur.at[R_EMAIL]);
        if (*join && !strpbrk(join, "0123456789")) {
            /* The header again (two exports pasted together): read on. */
            zoom_map_header(c, &m);
            if (has(&m, R_NAME) && has(&m, R_EMAIL) && has(&m, R_JOIN) && has(&m, R_LEAVE)) {
                cur = m;
                combined = has(&m, R_START) && (has(&m, R_ID) || has(&m, R_MEETING_ID));
                continue;
            }
        }
        if ((has(&cur, R_ATTENDED) && !zoom_yes(csv_field(c, cur.at[R_ATTENDED]))) ||
            strcmp(join, "--") == 0 || strcmp(leave, "--") == 0) {
            r->skipped_absent++;
            continue;
        }
        if (!*join && !*leave && !*name && !*email)
            continue;
        if (!*join || !*leave) {
            zoom_errf(ps->err, ps->errlen,
                 ES_EN(ps->lang,
                       "Línea %d: la columna %s está vacía. Cada fila necesita una hora de "
                       "ingreso (Join Time) y una hora de salida (Leave Time).",
                       "Line %d: the %s is empty. Each row needs both a Join Time and a Leave "
                       "Time."),
                 c->rec_line, !*join ? "Join Time" : "Leave Time");
            return false;
        }
        if (n >= ps->cap) {
            zoom_errf(ps->err, ps->errlen,
                 ES_EN(ps->lang,
                       "El archivo tiene más de %d filas de participantes (línea %d); Aula lee "
                       "como máximo %d por archivo. Exporte por separado el informe de cada "
                       "reunión.",
                       "The file has more than %d participant rows (line %d); Aula reads at "
                       "most %d per file. Export each meeting's report separately."),
                 ZOOM_MAX_ROWS, c->rec_line, ZOOM_MAX_ROWS);
            return false;
        }
        struct pending *p = &ps->pend[n];
        for (int k = 0; k < 2; k++) {
            const char *s = k ? leave : join;
            struct dt *t = k ? &p->leave : &p->join;
            if (!dt_parse(s, t)) {
                excerpt(s, v, sizeof v);
                zoom_errf(ps->err, ps->errlen,
                     ES_EN(ps->lang,
                           "Línea %d: la columna %s contiene «%s», que no es una fecha que Aula "
                           "pueda leer (lee 03/21/2022 09:02:13 AM, 21/03/2022 09:02, Mar 21, "
                           "2022 09:02:13 y 2022-03-21T13:02:13Z, con años de 2000 a 2099).",
                           "Line %d: the %s \"%s\" is not a date Aula can read (it reads "
                           "03/21/2022 09:02:13 AM, 21/03/2022 09:02, Mar 21, 2022 09:02:13 and "
                           "2022-03-21T13:02:13Z, years 2000 to 2099)."),
                     c->rec_line, k ? "Leave Time" : "Join Time", s[0] ? v : "");
                return false;
            }
            int col = k ? cur.at[R_LEAVE] : cur.at[R_JOIN];
            if (t->kind == DT_NUM && t->a > 12 && !gt12_first) {
                gt12_first = c->rec_line;
                gt12_first_off = c->rec_off;
                gt12_cols[0] = col;
            }
            if (t->kind == DT_NUM && t->b > 12 && !gt12_second) {
                gt12_second = c->rec_line;
                gt12_second_off = c->rec_off;
                gt12_cols[1] = col;
            }
        }
        p->off = c->rec_off;
        p->join_col = cur.at[R_JOIN];
        p->leave_col = cur.at[R_LEAVE];

        int mt = cur_meeting;
        if (combined &&
            (mt = meeting_of(ps, c, has(&cur, R_ID) ? cur.at[R_ID] : cur.at[R_MEETING_ID],
                             cur.at[R_TOPIC], cur.at[R_START])) < 0)
            return false;
        if (mt >= 0)
            r->meetings[mt].nrows++;
        struct zoom_row *row = &r->rows[n];
        *row = (struct zoom_row){.line = c->rec_line, .meeting = mt};
        if (!split_name(ps->a, name, &row->name, &row->original_name) ||
            (*email && !(row->email = copy_lower(ps->a, email)))) {
            zoom_errf(ps->err, ps->errlen, "%s", zoom_no_memory(ps->lang));
            return false;
        }
        row->guest = has(&cur, R_GUEST) && zoom_yes(csv_field(c, cur.at[R_GUEST]));
        if (has(&cur, R_WAITING))
            row->waiting_room = zoom_yes(csv_field(c, cur.at[R_WAITING]));
        if (has(&cur, R_STATUS)) {
            char key[64];
            if (zoom_header_key(csv_field(c, cur.at[R_STATUS]), key, sizeof key) &&
                strcmp(key, "in waiting room") == 0)
                row->waiting_room = true;
        }
        n++;
    }
    if (rc < 0) {
        zoom_errf(ps->err, ps->errlen,
             ES_EN(ps->lang,
                   "Línea %d: un campo entre comillas nunca se cierra (falta una comilla '\"'), "
                   "por lo que no se puede leer el resto del archivo.",
                   "Line %d: a quoted field is never closed (a '\"' is missing), so the rest of "
                   "the file cannot be read."),
             c->rec_line);
        return false;
    }
    if (!seen_header) {
        if (!first_seen) {
            zoom_errf(ps->err, ps->errlen, "%s",
                 ES_EN(ps->lang,
                       "El archivo está vacío. Exporte desde Zoom el informe de participantes "
                       "(Informes > Uso, \"Reports > Usage\") e importe ese archivo.",
                       "The file is empty. Export the Participants report from Zoom (Reports > "
                       "Usage) and import that file."));
        } else if (partial_line) {
            char has_s[160] = "", miss_s[160] = "";
            for (int k = R_NAME; k <= R_LEAVE; k++) {
                char *dst = has(&partial, (enum role)k) ? has_s : miss_s;
                size_t l = strlen(dst);
                snprintf(dst + l, 160 - l, "%s%s", l ? ", " : "", zoom_role_label[k]);
            }
            zoom_errf(ps->err, ps->errlen,
                 ES_EN(ps->lang,
                       "La fila de encabezados de la línea %d contiene %s, pero no %s. Aula "
                       "necesita las columnas " EXPECTED_COLUMNS_ES ". Exporte nuevamente desde "
                       "Zoom el informe de participantes de la reunión.",
                       "The header row on line %d has %s but no %s. Aula needs the columns "
                       EXPECTED_COLUMNS_EN ". Export the meeting's Participants report from "
                       "Zoom again."),
                 partial_line, has_s, miss_s);
        } else {
            char first[200];
            record_text(ps, first_off, first, sizeof first);
            zoom_errf(ps->err, ps->errlen,
                 ES_EN(ps->lang,
                       "No se encontró una tabla de participantes: Aula busca una fila de "
                       "encabezados con las columnas " EXPECTED_COLUMNS_ES ", y la primera fila "
                       "del archivo dice «%s». Aula lee los encabezados en inglés, español, "
                       "portugués, francés, ruso y japonés, no los de otros idiomas (como el "
                       "alemán «Name (Originalname)»): cambie el idioma del portal web de Zoom a "
                       "inglés (English) y exporte nuevamente el informe de participantes.",
                       "No participant table was found: Aula looks for a header row with the "
                       "columns " EXPECTED_COLUMNS_EN ", and the file's first row reads \"%s\". "
                       "Aula reads headers in English, Spanish, Portuguese, French, Russian and "
                       "Japanese, not in other languages (such as German \"Name (Originalname)\"): "
                       "set the Zoom web portal's language to English and export the Participants "
                       "report again."),
                 first);
        }
        return false;
    }
    r->nrows = n;
    r->shape = webinar    ? ZOOM_WEBINAR
               : combined ? ZOOM_COMBINED
               : meeting  ? ZOOM_PARTICIPANTS_WITH_MEETING
                          : ZOOM_PARTICIPANTS;
    if (!r->interface_lang)
        r->interface_lang = "en";
    /* The meetings' start times are evidence of the date order too. */
    for (size_t k = 0; k < r->nmeetings; k++) {
        const struct dt *t = &ps->meet_start[k];
        if (t->kind == DT_NUM && t->a > 12 && !gt12_first) {
            gt12_first = r->meetings[k].line;
            gt12_first_off = ps->meet_off[k];
            gt12_cols[0] = ps->meet_col[k];
        }
        if (t->kind == DT_NUM && t->b > 12 && !gt12_second) {
            gt12_second = r->meetings[k].line;
            gt12_second_off = ps->meet_off[k];
            gt12_cols[1] = ps->meet_col[k];
        }
    }
    return decide_order(ps, n, gt12_first, gt12_first_off, gt12_second, gt12_second_off,
                        gt12_cols) &&
           finish_dates(ps, n);
}

bool zoom_parse_file(arena *a, const char *data, size_t len, const char *tz, const int *date,
                     bool force_day_first, lang_t lang, struct zoom_report *out, char *err,
                     size_t errlen)
{
    *out = (struct zoom_report){0};
    if (err && errlen)
        err[0] = '\0';
    if (!tz_valid(tz)) {
        zoom_errf(err, errlen,
             ES_EN(lang,
                   "«%s» no es una zona horaria; indique la zona de la cuenta de Zoom que exportó "
                   "el archivo, por ejemplo America/Caracas.",
                   "\"%s\" is not a time zone; give the zone of the Zoom account that exported "
                   "the file, such as America/Caracas."),
             tz ? tz : "");
        return false;
    }
    if (len > ZOOM_MAX_BYTES) {
        zoom_errf(err, errlen, "%s",
             ES_EN(lang,
                   "El archivo supera los 64 MB; exporte por separado el informe de cada reunión.",
                   "The file is larger than 64 MB; export each meeting's report separately."));
        return false;
    }
    if (!data) {
        data = "";
        len = 0;
    }
    char *decoded = NULL; /* the file in UTF-8 when it was not */
    enum zoom_encoding enc = ZOOM_UTF8;
    bool nomem = false;
    if (len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
                     ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff))) {
        /* A spreadsheet's "Unicode text": UTF-16 with a byte order mark. */
        if (!(decoded = zoom_to_utf8("UTF-16", data, len, &len, &nomem))) {
            zoom_errf(err, errlen, "%s",
                 nomem ? zoom_no_memory(lang)
                       : ES_EN(lang,
                               "El archivo empieza como texto UTF-16 pero no lo es en su "
                               "totalidad. Importe el archivo tal como se descargó de Zoom.",
                               "The file starts as UTF-16 text but is not UTF-16 throughout. "
                               "Import the file as downloaded from Zoom."));
            return false;
        }
        data = decoded;
        enc = ZOOM_UTF16;
    }
    /* Zoom has been seen writing two byte order marks. */
    for (int i = 0; i < 4; i++)
        csv_skip_bom(&data, &len);
    if (len && memchr(data, '\0', len)) {
        free(decoded);
        zoom_errf(err, errlen, "%s",
             ES_EN(lang,
                   "El archivo contiene bytes NUL: no es un archivo de texto CSV. Importe el "
                   "archivo CSV exportado desde Zoom.",
                   "The file contains NUL bytes: it is not a CSV text file. Import the CSV file "
                   "exported from Zoom."));
        return false;
    }
    if (!utf8_valid(data, len)) {
        /* A spreadsheet's re-save in a Western European locale. */
        int bad = zoom_bad_utf8_line(data, len);
        char *cp = zoom_to_utf8("WINDOWS-1252", data, len, &len, &nomem);
        free(decoded);
        if (!cp && nomem) {
            zoom_errf(err, errlen, "%s", zoom_no_memory(lang));
            return false;
        }
        if (!cp) {
            zoom_errf(err, errlen,
                 ES_EN(lang,
                       "La línea %d no es texto UTF-8 ni Windows-1252. Importe el archivo tal "
                       "como se descargó de Zoom, o guárdelo como «CSV UTF-8 (delimitado por "
                       "comas)» (\"CSV UTF-8\").",
                       "Line %d is not UTF-8 text, nor Windows-1252. Import the file as "
                       "downloaded from Zoom, or save it as \"CSV UTF-8\"."),
                 bad);
            return false;
        }
        data = decoded = cp;
        enc = ZOOM_WINDOWS_1252;
    }

    /* At most one row per line. */
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    size_t cap = lines < ZOOM_MAX_ROWS ? lines : ZOOM_MAX_ROWS;

    struct parse ps = {.a = a, .data = data, .len = len, .tz = tz, .lang = lang, .out = out,
                       .err = err, .errlen = errlen, .cap = cap};
    ps.force_day_first = force_day_first;
    if (date) {
        ps.has_date = true;
        ps.sy = date[0];
        ps.sm = date[1];
        ps.sd = date[2];
    }
    ps.buf = malloc(len + 2);
    ps.pend = malloc(cap * sizeof *ps.pend);
    ps.meet_start = malloc(ZOOM_MAX_MEETINGS * sizeof *ps.meet_start);
    ps.meet_off = malloc(ZOOM_MAX_MEETINGS * sizeof *ps.meet_off);
    ps.meet_col = malloc(ZOOM_MAX_MEETINGS * sizeof *ps.meet_col);
    ps.meet_text = malloc(ZOOM_MAX_MEETINGS * sizeof *ps.meet_text);
    out->rows = arena_alloc(a, cap * sizeof *out->rows);
    out->meetings = arena_alloc(a, ZOOM_MAX_MEETINGS * sizeof *out->meetings);
    bool ok = ps.buf && ps.pend && ps.meet_start && ps.meet_off && ps.meet_col && ps.meet_text &&
              out->rows && out->meetings;
    if (!ok) {
        zoom_errf(err, errlen, "%s", zoom_no_memory(lang));
    } else {
        ps.sep = zoom_detect_separator(data, len, ps.buf);
        csv_init(&ps.csv, data, len, ps.buf);
        ps.csv.sep = ps.sep;
        ok = parse_records(&ps);
        out->encoding = enc;
        out->separator = ps.sep;
    }
    free(ps.buf);
    free(ps.pend);
    free(ps.meet_start);
    free(ps.meet_off);
    free(ps.meet_col);
    free(ps.meet_text);
    free(decoded);
    return ok ? true : zoom_fail(out);
}

bool zoom_report_parse(arena *a, const char *data, size_t len, const char *tz, lang_t lang,
                       struct zoom_report *out, char *err, size_t errlen)
{
    return zoom_parse_file(a, data, len, tz, NULL, false, lang, out, err, errlen);
}

size_t zoom_intervals_for(const struct zoom_report *r, const char *email, struct interval *out,
                          size_t max)
{
    if (!r || !email || !*email)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct zoom_row *row = &r->rows[i];
        if (row->waiting_room || !row->email || strcasecmp(row->email, email) != 0)
            continue;
        if (n < max && out)
            out[n] = (struct interval){row->join, row->leave};
        n++;
    }
    return n;
}
