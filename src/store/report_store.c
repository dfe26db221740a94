/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "report_store.h"

#include <string.h>

#include "account_store.h"
#include "db.h"

const char *const report_text_keys[] = {"reference", "summary", "conclusions",
                                        "recommendations", NULL};

static const char *nz(const char *s)
{
    return s ? s : "";
}

json_t *report_enrolments(const char *edition_slug)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT a.id, n.id, c.slug, n.status, a.country, a.gender, a.institution_type,"
        " a.language, a.form_of_address, a.given_names, a.family_names, a.position,"
        " a.institution FROM application a JOIN edition e ON e.id = a.edition_id"
        " JOIN enrolment n ON n.application_id = a.id JOIN course c ON c.id = n.course_id"
        " WHERE e.slug = ? ORDER BY a.id, c.sort_order");
    if (!st)
        return NULL;
    db_bind_text(st, 1, edition_slug);
    json_t *out = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(out, json_pack(
            "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
            "application_id", (json_int_t)sqlite3_column_int64(st, 0), "enrolment_id",
            (json_int_t)sqlite3_column_int64(st, 1), "course", nz(db_col_text(st, 2)), "status",
            nz(db_col_text(st, 3)), "country", nz(db_col_text(st, 4)), "gender",
            nz(db_col_text(st, 5)), "institution_type", nz(db_col_text(st, 6)), "language",
            nz(db_col_text(st, 7)), "form_of_address", nz(db_col_text(st, 8)), "given_names",
            nz(db_col_text(st, 9)), "family_names", nz(db_col_text(st, 10)), "position",
            nz(db_col_text(st, 11)), "institution", nz(db_col_text(st, 12))));
    sqlite3_reset(st);
    return out;
}

json_t *report_certificates(const char *edition_slug)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT x.enrolment_id, c.slug, x.status, x.number FROM certificate x"
        " JOIN enrolment n ON n.id = x.enrolment_id JOIN course c ON c.id = n.course_id"
        " JOIN edition e ON e.id = c.edition_id WHERE e.slug = ? ORDER BY x.id");
    if (!st)
        return NULL;
    db_bind_text(st, 1, edition_slug);
    json_t *out = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s}", "enrolment_id",
            (json_int_t)sqlite3_column_int64(st, 0), "course", nz(db_col_text(st, 1)), "status",
            nz(db_col_text(st, 2)), "number", nz(db_col_text(st, 3))));
    sqlite3_reset(st);
    return out;
}

json_t *report_texts(const char *edition_slug)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT t.key, t.body_es, t.body_en, t.updated_at, t.updated_by FROM report_text t"
        " JOIN edition e ON e.id = t.edition_id WHERE e.slug = ? ORDER BY t.key");
    json_t *out = json_object();
    if (!st)
        return out;
    db_bind_text(st, 1, edition_slug);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(out, nz(db_col_text(st, 0)), json_pack("{s:s?, s:s?, s:s, s:s}",
            "es", db_col_text(st, 1), "en", db_col_text(st, 2), "updated_at",
            nz(db_col_text(st, 3)), "updated_by", nz(db_col_text(st, 4))));
    sqlite3_reset(st);
    return out;
}

bool report_text_save(const char *edition_slug, const char *key, const char *es,
                      const char *en, const char *by)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO report_text (edition_id, key, body_es, body_en, updated_at, updated_by)"
        " SELECT id, ?, ?, ?, ?, ? FROM edition WHERE slug = ?"
        " ON CONFLICT (edition_id, key) DO UPDATE SET body_es = excluded.body_es,"
        " body_en = excluded.body_en, updated_at = excluded.updated_at,"
        " updated_by = excluded.updated_by");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, key);
        db_bind_text(st, 2, es && *es ? es : NULL);
        db_bind_text(st, 3, en && *en ? en : NULL);
        db_bind_text(st, 4, now);
        db_bind_text(st, 5, by);
        db_bind_text(st, 6, edition_slug);
        ok = db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
    }
    if (ok)
        ok = audit(by, "report.text", edition_slug, key);
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

json_t *report_comment_answers(int64_t questionnaire_id)
{
    sqlite3_stmt *st = db_stmt("SELECT id, answers FROM evaluation_response"
                               " WHERE questionnaire_id = ? ORDER BY id");
    json_t *out = json_array();
    if (!st)
        return out;
    db_bind_int(st, 1, questionnaire_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = json_loads(nz(db_col_text(st, 1)), 0, NULL);
        json_array_append_new(out, json_pack("{s:I, s:o}", "response_id",
            (json_int_t)sqlite3_column_int64(st, 0), "answers", a ? a : json_object()));
    }
    sqlite3_reset(st);
    return out;
}

json_t *report_quote_choices(int64_t questionnaire_id)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT q.response_id, q.question_key, q.text_sha256 FROM report_quote q"
        " JOIN evaluation_response r ON r.id = q.response_id WHERE r.questionnaire_id = ?");
    json_t *out = json_object();
    if (!st)
        return out;
    db_bind_int(st, 1, questionnaire_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char key[128];
        snprintf(key, sizeof key, "%lld/%s", (long long)sqlite3_column_int64(st, 0),
                 nz(db_col_text(st, 1)));
        json_object_set_new(out, key, json_string(nz(db_col_text(st, 2))));
    }
    sqlite3_reset(st);
    return out;
}

bool report_quote_set(int64_t questionnaire_id, int64_t response_id, const char *question_key,
                      const char *text_sha256, bool chosen, const char *by,
                      const char *edition_slug)
{
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        chosen ? "INSERT INTO report_quote (response_id, question_key, text_sha256)"
                 " SELECT id, ?2, ?3 FROM evaluation_response WHERE id = ?1"
                 " AND questionnaire_id = ?4 ON CONFLICT (response_id, question_key)"
                 " DO UPDATE SET text_sha256 = excluded.text_sha256"
               : "DELETE FROM report_quote WHERE response_id = ?1 AND question_key = ?2"
                 " AND EXISTS (SELECT 1 FROM evaluation_response"
                 " WHERE id = ?1 AND questionnaire_id = ?4)");
    bool ok = st != NULL;
    if (ok) {
        db_bind_int(st, 1, response_id);
        db_bind_text(st, 2, question_key);
        db_bind_text(st, 3, text_sha256);
        db_bind_int(st, 4, questionnaire_id);
        ok = db_exec_stmt(st) && (!chosen || sqlite3_changes(db_conn()) == 1);
    }
    /* Which comment is not said: the audit log names no answer. */
    if (ok)
        ok = audit(by, chosen ? "report.quote" : "report.unquote", edition_slug, NULL);
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}
