/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "evaluation_store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../domain/evaluation.h"
#include "db.h"
#include "outbox_store.h"

/* ---- created with the programme ---- */

/* The questions of a file's "evaluation" (the ready ones when it has none)
 * as stored, and its reminder days as "2,7". */
static char *definition_text(json_t *ev, char days[32])
{
    json_t *def = json_object_get(ev, "questionnaire");
    json_t *d = def ? json_incref(def) : evaluation_default_definition();
    char *text = d ? json_dumps_malloc(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(d);
    snprintf(days, 32, "2,7");
    json_t *rd = json_object_get(ev, "reminder_days");
    if (rd) {
        size_t n = 0, j;
        json_t *x;
        days[0] = '\0';
        json_array_foreach(rd, j, x)
            n += (size_t)snprintf(days + n, 32 - n, "%s%lld", j ? "," : "",
                                  (long long)json_integer_value(x));
    }
    return text;
}

/* Binds ?3 to ?10 of the INSERTs below from a file's "evaluation" (NULL:
 * the defaults) and runs the statement. */
static bool insert_settings(sqlite3_stmt *st, json_t *ev)
{
    char days[32];
    char *text = definition_text(ev, days);
    bool ok = st && text;
    if (ok) {
        json_t *an = json_object_get(ev, "anonymous");
        const char *audience = json_string_value(json_object_get(ev, "audience"));
        db_bind_text(st, 3, text);
        db_bind_text(st, 4, json_string_value(json_object_get(ev, "opens_at")));
        db_bind_text(st, 5, json_string_value(json_object_get(ev, "closes_at")));
        db_bind_int(st, 6, an ? json_is_true(an) : 1);
        db_bind_text(st, 7, audience ? audience : "registered");
        db_bind_text(st, 8, days);
        db_bind_int(st, 9, ev != NULL);
        if (json_string_value(json_object_get(ev, "breakdown")))
            db_bind_text(st, 10, json_string_value(json_object_get(ev, "breakdown")));
        ok = db_exec_stmt(st);
    } else if (st) {
        sqlite3_reset(st);
    }
    free(text);
    return ok;
}

bool evaluation_create_for_edition(int64_t edition_id, json_t *courses)
{
    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        sqlite3_stmt *st = db_stmt(
            "INSERT INTO questionnaire (course_id, definition, opens_at, closes_at, anonymous,"
            " audience, reminder_days, customised, breakdown)"
            " SELECT c.id, ?3, coalesce(?4, o.opens),"
            "  coalesce(?5, max(strftime('%Y-%m-%dT%H:%M:%SZ', o.opens, '+14 days'),"
            "                   coalesce(e.applications_close || ':00Z', ''))),"
            "  ?6, ?7, ?8, ?9, coalesce(?10, 'country')"
            " FROM course c JOIN edition e ON e.id = c.edition_id,"
            "  (SELECT coalesce(max(tb.start_utc), (SELECT ends_on || 'T00:00:00Z' FROM edition"
            "     WHERE id = ?1)) AS opens"
            "   FROM time_block tb JOIN course_day d ON d.id = tb.day_id JOIN course c2"
            "   ON c2.id = d.course_id WHERE c2.edition_id = ?1 AND c2.slug = ?2) o"
            " WHERE c.edition_id = ?1 AND c.slug = ?2");
        if (st) {
            db_bind_int(st, 1, edition_id);
            db_bind_text(st, 2, json_string_value(json_object_get(c, "slug")));
        }
        if (!insert_settings(st, json_object_get(c, "evaluation")))
            return false;
    }
    return true;
}

bool evaluation_import_edition_wide(int64_t edition_id, json_t *ev)
{
    /* As the console creates it (from the start of the edition's last
     * block) unless the file says otherwise. */
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO questionnaire (edition_id, definition, opens_at, closes_at, anonymous,"
        " audience, reminder_days, customised, breakdown)"
        " SELECT e.id, ?3, coalesce(?4, o.opens),"
        "  coalesce(?5, max(strftime('%Y-%m-%dT%H:%M:%SZ', o.opens, '+14 days'),"
        "                   coalesce(e.applications_close || ':00Z', ''))),"
        "  ?6, ?7, ?8, 1, coalesce(?10, 'country')"
        " FROM edition e,"
        "  (SELECT coalesce(max(tb.start_utc), (SELECT ends_on || 'T00:00:00Z' FROM edition"
        "     WHERE id = ?1)) AS opens"
        "   FROM time_block tb JOIN course_day d ON d.id = tb.day_id JOIN course c2"
        "   ON c2.id = d.course_id WHERE c2.edition_id = ?1) o"
        " WHERE e.id = ?1");
    if (st)
        db_bind_int(st, 1, edition_id);
    return insert_settings(st, ev);
}

bool evaluation_create_missing(void)
{
    json_t *todo = json_array();
    sqlite3_stmt *st = db_stmt("SELECT c.edition_id, c.slug FROM course c LEFT JOIN questionnaire q"
                               " ON q.course_id = c.id WHERE q.id IS NULL");
    if (!st) {
        json_decref(todo);
        return false;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(todo, json_pack("{s:I, s:s}", "edition",
            (json_int_t)sqlite3_column_int64(st, 0), "slug", db_col_text(st, 1)));
    sqlite3_reset(st);
    bool ok = true;
    size_t i;
    json_t *c;
    json_array_foreach(todo, i, c) {
        json_t *one = json_pack("[O]", c);
        ok = ok && evaluation_create_for_edition(json_integer_value(json_object_get(c, "edition")), one);
        json_decref(one);
    }
    json_decref(todo);
    return ok;
}

static json_t *parse(const char *s)
{
    return s ? json_loads(s, 0, NULL) : NULL;
}

/* A file's "evaluation" from the row of the statement below. */
static json_t *settings_of_row(sqlite3_stmt *st)
{
    json_t *days = json_array();
    const char *p = db_col_text(st, 5);
    while (p && *p) {
        json_array_append_new(days, json_integer(strtol(p, NULL, 10)));
        p = strchr(p, ',');
        p = p ? p + 1 : NULL;
    }
    json_t *ev = json_pack("{s:s, s:s, s:b, s:s, s:o, s:o*}", "opens_at", db_col_text(st, 1),
                           "closes_at", db_col_text(st, 2), "anonymous",
                           sqlite3_column_int(st, 3), "audience", db_col_text(st, 4),
                           "reminder_days", days, "questionnaire",
                           json_loads(db_col_text(st, 0), JSON_DECODE_ANY, NULL));
    /* Only when not the default, so that older files round-trip. */
    if (ev && db_col_text(st, 6) && strcmp(db_col_text(st, 6), "country") != 0)
        json_object_set_new(ev, "breakdown", json_string(db_col_text(st, 6)));
    return ev;
}

void evaluation_attach_to_programme(json_t *programme)
{
    json_t *e = json_object_get(programme, "edition");
    const char *edition = json_string_value(json_object_get(e, "slug"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(e, "courses"), i, c) {
        sqlite3_stmt *st = db_stmt(
            "SELECT q.definition, q.opens_at, q.closes_at, q.anonymous, q.audience,"
            " q.reminder_days, q.breakdown FROM questionnaire q JOIN course c ON c.id = q.course_id"
            " JOIN edition e ON e.id = c.edition_id"
            " WHERE e.slug = ? AND c.slug = ? AND q.customised = 1");
        if (!st)
            return;
        db_bind_text(st, 1, edition);
        db_bind_text(st, 2, json_string_value(json_object_get(c, "slug")));
        if (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(c, "evaluation", settings_of_row(st));
        sqlite3_reset(st);
    }
    /* The edition's own questionnaire, after its courses as in the file. */
    sqlite3_stmt *st = db_stmt(
        "SELECT q.definition, q.opens_at, q.closes_at, q.anonymous, q.audience,"
        " q.reminder_days, q.breakdown FROM questionnaire q JOIN edition e"
        " ON e.id = q.edition_id WHERE e.slug = ?");
    if (!st)
        return;
    db_bind_text(st, 1, edition);
    if (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(e, "evaluation", settings_of_row(st));
    sqlite3_reset(st);
}

/* ---- reading ---- */

/* The enrolments questionnaire q asks (SQL over q and en): its course's, or
 * for an edition's questionnaire one per person, the lowest registered
 * enrolment of the application in that edition, so that someone on two
 * courses is asked, and answers, once. */
#define Q_ASKS                                                                              \
    " (en.course_id = q.course_id OR en.id = (SELECT min(e2.id) FROM enrolment e2"          \
    "  JOIN course c2 ON c2.id = e2.course_id WHERE c2.edition_id = q.edition_id"           \
    "  AND e2.application_id = en.application_id AND e2.status = 'registered')) "

#define Q_COLUMNS                                                                             \
    "SELECT q.id, e.slug, c.slug, coalesce(c.title_es, e.title_es),"                          \
    " coalesce(c.title_en, e.title_en), e.time_zone, q.definition,"                           \
    " q.opens_at, q.closes_at, q.anonymous, q.audience, q.reminder_days, q.low_mean,"         \
    " q.low_mean_min_answers, q.min_group, q.customised, c.id,"                               \
    " (SELECT count(*) FROM evaluation_respondent r WHERE r.questionnaire_id = q.id"           \
    "  AND r.answered = 1),"        \
    " (SELECT count(*) FROM evaluation_response r WHERE r.questionnaire_id = q.id),"          \
    " q.allow_edit, q.breakdown, q.edition_id"                                                \
    " FROM questionnaire q LEFT JOIN course c ON c.id = q.course_id JOIN edition e"           \
    " ON e.id = coalesce(c.edition_id, q.edition_id) "

static json_t *q_row(sqlite3_stmt *st)
{
    json_t *title = json_object();
    if (db_col_text(st, 3))
        json_object_set_new(title, "es", json_string(db_col_text(st, 3)));
    if (db_col_text(st, 4))
        json_object_set_new(title, "en", json_string(db_col_text(st, 4)));
    json_t *def = parse(db_col_text(st, 6));
    json_t *q = json_pack(
        "{s:I, s:s, s:s?, s:o, s:s, s:o, s:s, s:s, s:b, s:s, s:s, s:f, s:I, s:I, s:b, s:I, s:I, s:I}",
        "id", (json_int_t)sqlite3_column_int64(st, 0), "edition", db_col_text(st, 1), "course",
        db_col_text(st, 2), "course_title", title, "time_zone", db_col_text(st, 5), "definition",
        def ? def : json_object(), "opens_at", db_col_text(st, 7), "closes_at", db_col_text(st, 8),
        "anonymous", sqlite3_column_int(st, 9), "audience", db_col_text(st, 10), "reminder_days",
        db_col_text(st, 11), "low_mean", sqlite3_column_double(st, 12), "low_mean_min_answers",
        (json_int_t)sqlite3_column_int64(st, 13), "min_group", (json_int_t)sqlite3_column_int64(st, 14),
        "customised", sqlite3_column_int(st, 15), "course_id",
        (json_int_t)sqlite3_column_int64(st, 16), "respondents",
        (json_int_t)sqlite3_column_int64(st, 17), "responses",
        (json_int_t)sqlite3_column_int64(st, 18));
    json_object_set_new(q, "allow_edit", json_boolean(sqlite3_column_int(st, 19)));
    json_object_set_new(q, "breakdown", json_string(db_col_text(st, 20) ? db_col_text(st, 20) : "none"));
    /* One questionnaire for the whole edition rather than a course's. */
    json_object_set_new(q, "edition_wide", json_boolean(sqlite3_column_type(st, 21) != SQLITE_NULL));
    json_object_set_new(q, "edition_id", json_integer(sqlite3_column_int64(st, 21)));
    return q;
}

static void add_trainers(json_t *q)
{
    json_t *tr = json_array();
    /* An edition's questionnaire asks about the trainers of all its courses. */
    sqlite3_stmt *st = db_stmt("SELECT p.slug, min(p.name) FROM course_trainer ct JOIN person p"
                               " ON p.id = ct.person_id JOIN course c ON c.id = ct.course_id"
                               " WHERE ct.course_id = ?1 OR c.edition_id = ?2 GROUP BY p.id"
                               " ORDER BY min(c.sort_order), min(ct.sort_order), p.id");
    if (st) {
        db_bind_int(st, 1, json_integer_value(json_object_get(q, "course_id")));
        db_bind_int(st, 2, json_integer_value(json_object_get(q, "edition_id")));
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(tr, json_pack("{s:s, s:s}", "slug", db_col_text(st, 0), "name",
                                                db_col_text(st, 1)));
        sqlite3_reset(st);
    }
    json_object_set_new(q, "trainers", tr);
}

/* The questionnaire of the bound statement's first row, with its trainers. */
static json_t *one_q(sqlite3_stmt *st)
{
    json_t *q = sqlite3_step(st) == SQLITE_ROW ? q_row(st) : NULL;
    sqlite3_reset(st);
    if (q)
        add_trainers(q);
    return q;
}

json_t *evaluation_get(const char *edition, const char *course)
{
    sqlite3_stmt *st = db_stmt(Q_COLUMNS "WHERE e.slug = ? AND c.slug = ?");
    if (!st)
        return NULL;
    db_bind_text(st, 1, edition);
    db_bind_text(st, 2, course);
    return one_q(st);
}

json_t *evaluation_get_id(int64_t id)
{
    sqlite3_stmt *st = db_stmt(Q_COLUMNS "WHERE q.id = ?");
    if (!st)
        return NULL;
    db_bind_int(st, 1, id);
    return one_q(st);
}

json_t *evaluation_get_edition_wide(const char *edition)
{
    sqlite3_stmt *st = db_stmt(Q_COLUMNS "WHERE e.slug = ? AND q.edition_id IS NOT NULL");
    if (!st)
        return NULL;
    db_bind_text(st, 1, edition);
    return one_q(st);
}

bool evaluation_create_edition_wide(const char *edition)
{
    json_t *d = evaluation_default_definition();
    char *text = d ? json_dumps_malloc(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(d);
    /* As a course's, from the start of the edition's last block. */
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO questionnaire (edition_id, definition, opens_at, closes_at, customised)"
        " SELECT e.id, ?2, o.opens, max(strftime('%Y-%m-%dT%H:%M:%SZ', o.opens, '+14 days'),"
        "  coalesce(e.applications_close || ':00Z', '')), 1"
        " FROM edition e, (SELECT coalesce(max(tb.start_utc), (SELECT ends_on || 'T00:00:00Z'"
        "   FROM edition WHERE slug = ?1)) AS opens FROM time_block tb JOIN course_day d"
        "   ON d.id = tb.day_id JOIN course c ON c.id = d.course_id JOIN edition e2"
        "   ON e2.id = c.edition_id WHERE e2.slug = ?1) o"
        " WHERE e.slug = ?1 ON CONFLICT DO NOTHING");
    bool ok = st && text;
    if (ok) {
        db_bind_text(st, 1, edition);
        db_bind_text(st, 2, text);
        ok = db_exec_stmt(st);
    }
    free(text);
    return ok;
}

json_t *evaluation_of_edition(const char *edition)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(Q_COLUMNS "WHERE e.slug = ? ORDER BY q.edition_id IS NULL,"
                                         " c.sort_order, c.id");
    if (!st)
        return arr;
    db_bind_text(st, 1, edition);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, q_row(st));
    sqlite3_reset(st);
    size_t i;
    json_t *q;
    json_array_foreach(arr, i, q) add_trainers(q);
    return arr;
}

bool evaluation_update(int64_t id, json_t *definition, const char *opens_at,
                       const char *closes_at, bool anonymous, const char *audience,
                       const char *reminder_days, double low_mean, long low_min,
                       bool allow_edit)
{
    char *text = json_dumps_malloc(definition, JSON_COMPACT | JSON_PRESERVE_ORDER);
    sqlite3_stmt *st = db_stmt(
        "UPDATE questionnaire SET definition = ?, opens_at = ?, closes_at = ?,"
        " anonymous = CASE WHEN EXISTS (SELECT 1 FROM evaluation_respondent r"
        "   WHERE r.questionnaire_id = questionnaire.id AND r.answered = 1) THEN anonymous ELSE ? END,"
        " audience = ?, reminder_days = ?, low_mean = ?, low_mean_min_answers = ?,"
        " customised = 1, allow_edit = ?10 WHERE id = ?9");
    bool ok = st && text;
    if (ok) {
        db_bind_text(st, 1, text);
        db_bind_text(st, 2, opens_at);
        db_bind_text(st, 3, closes_at);
        db_bind_int(st, 4, anonymous);
        db_bind_text(st, 5, audience);
        db_bind_text(st, 6, reminder_days);
        sqlite3_bind_double(st, 7, low_mean);
        db_bind_int(st, 8, low_min);
        db_bind_int(st, 9, id);
        db_bind_int(st, 10, allow_edit);
        ok = db_exec_stmt(st);
    }
    free(text);
    return ok;
}

bool evaluation_set_definition(int64_t id, json_t *definition)
{
    char *text = json_dumps_malloc(definition, JSON_COMPACT | JSON_PRESERVE_ORDER);
    sqlite3_stmt *st = db_stmt("UPDATE questionnaire SET definition = ?2, customised = 1 WHERE id = ?1");
    bool ok = st && text;
    if (ok) {
        db_bind_int(st, 1, id);
        db_bind_text(st, 2, text);
        ok = db_exec_stmt(st);
    }
    free(text);
    return ok;
}

bool evaluation_set_breakdown(int64_t id, const char *dimension)
{
    sqlite3_stmt *st = db_stmt(
        "UPDATE questionnaire SET breakdown = ?2 WHERE id = ?1 AND NOT EXISTS"
        " (SELECT 1 FROM evaluation_respondent r WHERE r.questionnaire_id = ?1 AND r.answered = 1)");
    if (!st)
        return false;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, dimension);
    return db_exec_stmt(st);
}

/* ---- links and people ---- */

bool evaluation_link_add(int64_t qid, int64_t enrolment_id, const char *token_hash)
{
    sqlite3_stmt *st = db_stmt("INSERT INTO evaluation_link (token_hash, questionnaire_id,"
                               " enrolment_id) VALUES (?, ?, ?)");
    if (!st)
        return false;
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, qid);
    db_bind_int(st, 3, enrolment_id);
    return db_exec_stmt(st);
}

bool evaluation_link_find(const char *token_hash, int64_t *qid, int64_t *enrolment_id)
{
    sqlite3_stmt *st = db_stmt("SELECT l.questionnaire_id, l.enrolment_id FROM evaluation_link l"
                               " JOIN enrolment en ON en.id = l.enrolment_id"
                               " WHERE l.token_hash = ? AND en.status = 'registered'");
    if (!st)
        return false;
    db_bind_text(st, 1, token_hash);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        *qid = sqlite3_column_int64(st, 0);
        *enrolment_id = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return found;
}

int64_t evaluation_enrolment_of(int64_t qid, int64_t account_id)
{
    sqlite3_stmt *st = db_stmt("SELECT en.id FROM questionnaire q JOIN enrolment en"
                               " ON" Q_ASKS "JOIN application a"
                               " ON a.id = en.application_id WHERE q.id = ? AND a.account_id = ?"
                               " AND en.status = 'registered'");
    if (!st)
        return 0;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, account_id);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

json_t *evaluation_participant(int64_t enrolment_id)
{
    sqlite3_stmt *st = db_stmt("SELECT a.given_names || ' ' || a.family_names, a.language,"
                               " a.email FROM enrolment en JOIN application a"
                               " ON a.id = en.application_id WHERE en.id = ?");
    if (!st)
        return NULL;
    db_bind_int(st, 1, enrolment_id);
    json_t *p = sqlite3_step(st) == SQLITE_ROW
                    ? json_pack("{s:s, s:s, s:s}", "name", db_col_text(st, 0), "language",
                                db_col_text(st, 1), "email", db_col_text(st, 2))
                    : NULL;
    sqlite3_reset(st);
    return p;
}

json_t *evaluation_for_account(int64_t account_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT q.id, e.slug, c.slug, coalesce(c.title_es, e.title_es),"
        " coalesce(c.title_en, e.title_en), q.opens_at, q.closes_at,"
        " EXISTS (SELECT 1 FROM evaluation_respondent r WHERE r.questionnaire_id = q.id"
        "         AND r.enrolment_id = en.id AND r.answered = 1),"
        " EXISTS (SELECT 1 FROM evaluation_draft d WHERE d.questionnaire_id = q.id"
        "         AND d.enrolment_id = en.id)"
        " FROM application a JOIN enrolment en ON en.application_id = a.id"
        " JOIN questionnaire q ON" Q_ASKS "LEFT JOIN course c ON c.id = q.course_id"
        " JOIN edition e ON e.id = coalesce(c.edition_id, q.edition_id)"
        " WHERE a.account_id = ? AND en.status = 'registered' ORDER BY q.opens_at, q.id");
    if (!st)
        return arr;
    db_bind_int(st, 1, account_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack(
            "{s:I, s:s, s:s?, s:{s:s?, s:s?}, s:s, s:s, s:b, s:b}", "id",
            (json_int_t)sqlite3_column_int64(st, 0), "edition", db_col_text(st, 1), "course",
            db_col_text(st, 2), "course_title", "es", db_col_text(st, 3), "en",
            db_col_text(st, 4), "opens_at", db_col_text(st, 5), "closes_at", db_col_text(st, 6),
            "answered", sqlite3_column_int(st, 7), "draft", sqlite3_column_int(st, 8)));
    sqlite3_reset(st);
    return arr;
}

json_t *evaluation_audience(int64_t qid)
{
    json_t *arr = json_array();
    /* "attended": somebody whose email appears in an imported Zoom report of
     * one of the course's days. */
    sqlite3_stmt *st = db_stmt(
        "SELECT en.id, a.id, a.email, a.given_names || ' ' || a.family_names, a.language,"
        " EXISTS (SELECT 1 FROM evaluation_respondent r WHERE r.questionnaire_id = q.id"
        "         AND r.enrolment_id = en.id AND r.answered = 1),"
        " EXISTS (SELECT 1 FROM evaluation_link l WHERE l.questionnaire_id = q.id"
        "         AND l.enrolment_id = en.id)"
        " FROM questionnaire q JOIN enrolment en ON" Q_ASKS
        " JOIN application a ON a.id = en.application_id JOIN account ac ON ac.id = a.account_id"
        " WHERE q.id = ? AND en.status = 'registered' AND ac.role = 'participant'"
        " AND (q.audience = 'registered' OR EXISTS (SELECT 1 FROM attendance_row ar"
        "   JOIN attendance_import ai ON ai.id = ar.import_id JOIN course_day d"
        "   ON d.id = ai.course_day_id WHERE (d.course_id = q.course_id OR d.course_id IN"
        "   (SELECT id FROM course WHERE edition_id = q.edition_id))"
        "   AND lower(ar.email) = lower(a.email) AND ar.leave_utc > ar.join_utc))"
        " ORDER BY en.id");
    if (!st)
        return arr;
    db_bind_int(st, 1, qid);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:b}", "enrolment_id",
            (json_int_t)sqlite3_column_int64(st, 0), "application_id",
            (json_int_t)sqlite3_column_int64(st, 1), "email", db_col_text(st, 2), "name",
            db_col_text(st, 3), "language", db_col_text(st, 4), "answered",
            sqlite3_column_int(st, 5), "invited", sqlite3_column_int(st, 6)));
    sqlite3_reset(st);
    return arr;
}

/* ---- invitations and reminders ---- */

json_t *evaluation_open_now(const char *now)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt("SELECT id, opens_at, reminder_days FROM questionnaire"
                               " WHERE opens_at <= ?1 AND ?1 < closes_at ORDER BY id");
    if (!st)
        return arr;
    db_bind_text(st, 1, now);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:[]}", "id",
            (json_int_t)sqlite3_column_int64(st, 0), "opens_at", db_col_text(st, 1),
            "reminder_days", db_col_text(st, 2), "sent"));
    sqlite3_reset(st);
    size_t i;
    json_t *q;
    json_array_foreach(arr, i, q) {
        st = db_stmt("SELECT offset_days, queued_at FROM evaluation_mailing"
                     " WHERE questionnaire_id = ? ORDER BY queued_at");
        if (!st)
            break;
        db_bind_int(st, 1, json_integer_value(json_object_get(q, "id")));
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_array_append_new(json_object_get(q, "sent"), json_integer(sqlite3_column_int(st, 0)));
            json_object_set_new(q, "last_queued_at", json_string(db_col_text(st, 1)));
        }
        sqlite3_reset(st);
    }
    return arr;
}

int evaluation_reminders_sent(int64_t qid)
{
    sqlite3_stmt *st = db_stmt("SELECT count(*) FROM evaluation_mailing"
                               " WHERE questionnaire_id = ? AND offset_days <> 0");
    if (!st)
        return 0;
    db_bind_int(st, 1, qid);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

bool evaluation_mailing_once(int64_t qid, int offset_days, const struct message *msgs,
                             const int64_t *application_ids, const int64_t *enrolment_ids,
                             const char *const *token_hashes, int n)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    /* The count is read inside the transaction (BEGIN IMMEDIATE), so two
     * workers cannot both send the third reminder. */
    bool ok = offset_days == 0 || evaluation_reminders_sent(qid) < 2;
    sqlite3_stmt *st = ok ? db_stmt("INSERT INTO evaluation_mailing (questionnaire_id,"
                                    " offset_days, queued_at, recipients) VALUES (?, ?, ?, ?)"
                                    " ON CONFLICT DO NOTHING")
                          : NULL;
    ok = st != NULL;
    if (ok) {
        db_bind_int(st, 1, qid);
        db_bind_int(st, 2, offset_days);
        db_bind_text(st, 3, now);
        db_bind_int(st, 4, n);
        /* Invitations go to whoever joined the audience since, too. */
        ok = db_exec_stmt(st) && (offset_days == 0 || sqlite3_changes(db_conn()) == 1);
    }
    for (int i = 0; ok && i < n; i++)
        ok = evaluation_link_add(qid, enrolment_ids[i], token_hashes[i]) &&
             evaluation_expect(qid, enrolment_ids[i]) &&
             outbox_queue(offset_days == 0 ? "evaluation_invitation" : "evaluation_reminder",
                          application_ids[i], &msgs[i], NULL);
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}
