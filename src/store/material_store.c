/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "material_store.h"

#include <stdio.h>
#include <string.h>

#include "db.h"

enum material_result material_add(const struct material_input *in, int64_t *id)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return MATERIAL_ERROR;
    enum material_result r = MATERIAL_ERROR;
    sqlite3_stmt *st = db_stmt("SELECT e.id, c.id FROM edition e LEFT JOIN course c"
                               " ON c.edition_id = e.id AND c.slug = ? WHERE e.slug = ?");
    if (!st)
        goto out;
    db_bind_text(st, 1, in->course_slug);
    db_bind_text(st, 2, in->edition_slug);
    int64_t edition = 0, course = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        edition = sqlite3_column_int64(st, 0);
        course = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (!edition || (in->course_slug && !course)) {
        r = MATERIAL_NO_COURSE;
        goto out;
    }
    if (in->session_id) {
        st = db_stmt("SELECT 1 FROM programme_session s JOIN time_block b ON b.id = s.block_id"
                     " JOIN course_day d ON d.id = b.day_id WHERE s.id = ? AND d.course_id = ?");
        if (!st)
            goto out;
        db_bind_int(st, 1, in->session_id);
        db_bind_int(st, 2, course);
        bool ok = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
        if (!ok) {
            r = MATERIAL_NO_SESSION;
            goto out;
        }
    }
    st = db_stmt("INSERT INTO material (edition_id, course_id, session_id, title_es, title_en,"
                 " description_es, description_en, file_name, content_type, size, sha256,"
                 " visible_from, created_at, created_by)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st)
        goto out;
    db_bind_int(st, 1, edition);
    if (course)
        db_bind_int(st, 2, course);
    if (in->session_id)
        db_bind_int(st, 3, in->session_id);
    db_bind_text(st, 4, in->title_es);
    db_bind_text(st, 5, in->title_en);
    db_bind_text(st, 6, in->description_es);
    db_bind_text(st, 7, in->description_en);
    db_bind_text(st, 8, in->file_name);
    db_bind_text(st, 9, in->content_type);
    db_bind_int(st, 10, (int64_t)in->size);
    db_bind_text(st, 11, in->sha256);
    db_bind_text(st, 12, in->visible_from);
    db_bind_text(st, 13, now);
    db_bind_text(st, 14, in->created_by);
    *id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (*id && db_commit())
        return MATERIAL_OK;
out:
    db_rollback();
    return r;
}

/* A macro, not a variable, so that the queries using it are built at compile time
   (a buffer filled on first use would be a data race between request threads). */
#define COLUMNS                                                                            \
    "m.id, e.slug, c.slug, m.session_id, m.title_es, m.title_en, m.description_es,"          \
    " m.description_en, m.file_name, m.content_type, m.size, m.sha256, m.visible_from,"      \
    " m.created_at, s.number, s.title_es, s.title_en"

static json_t *text_pair(sqlite3_stmt *st, int col)
{
    const char *es = db_col_text(st, col), *en = db_col_text(st, col + 1);
    if (!es && !en)
        return json_null();
    json_t *o = json_object();
    if (es)
        json_object_set_new(o, "es", json_string(es));
    if (en)
        json_object_set_new(o, "en", json_string(en));
    return o;
}

static json_t *row(sqlite3_stmt *st)
{
    json_t *o = json_pack("{s:I, s:s, s:s?, s:o, s:o, s:s, s:s, s:I, s:s, s:s?, s:s}",
        "id", (json_int_t)sqlite3_column_int64(st, 0), "edition", db_col_text(st, 1),
        "course", db_col_text(st, 2), "title", text_pair(st, 4), "description",
        text_pair(st, 6), "file_name", db_col_text(st, 8), "content_type", db_col_text(st, 9),
        "size", (json_int_t)sqlite3_column_int64(st, 10), "sha256", db_col_text(st, 11),
        "visible_from", db_col_text(st, 12), "created_at", db_col_text(st, 13));
    if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
        json_object_set_new(o, "session_id", json_integer(sqlite3_column_int64(st, 3)));
        if (sqlite3_column_type(st, 14) != SQLITE_NULL)
            json_object_set_new(o, "session_number", json_integer(sqlite3_column_int64(st, 14)));
        json_object_set_new(o, "session_title", text_pair(st, 15));
    }
    return o;
}

json_t *material_load(int64_t id)
{
    static const char sql[] =
                 "SELECT " COLUMNS " FROM material m JOIN edition e ON e.id = m.edition_id"
                 " LEFT JOIN course c ON c.id = m.course_id"
                 " LEFT JOIN programme_session s ON s.id = m.session_id WHERE m.id = ?";
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return NULL;
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? row(st) : NULL;
    sqlite3_reset(st);
    return o;
}

json_t *materials_list(const char *edition_slug, const char *course_slug, bool visible_only)
{
    static const char sql[] =
                 "SELECT " COLUMNS " FROM material m JOIN edition e ON e.id = m.edition_id"
                 " LEFT JOIN course c ON c.id = m.course_id"
                 " LEFT JOIN programme_session s ON s.id = m.session_id"
                 " WHERE e.slug = ?1 AND (?2 IS NULL OR c.slug = ?2 OR m.course_id IS NULL)"
                 " AND (?3 = 0 OR m.visible_from IS NULL OR m.visible_from <= ?4)"
                 " ORDER BY c.sort_order, m.session_id IS NULL, s.id, m.id";
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return arr;
    char now[32];
    db_now(now);
    db_bind_text(st, 1, edition_slug);
    db_bind_text(st, 2, course_slug);
    db_bind_int(st, 3, visible_only ? 1 : 0);
    db_bind_text(st, 4, now);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, row(st));
    sqlite3_reset(st);
    return arr;
}

bool material_delete(int64_t id, char *sha256_out)
{
    sqlite3_stmt *st = db_stmt("DELETE FROM material WHERE id = ? RETURNING sha256");
    if (!st)
        return false;
    db_bind_int(st, 1, id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        snprintf(sha256_out, 65, "%s", db_col_text(st, 0));
    while (found && sqlite3_step(st) == SQLITE_ROW)
        ;
    sqlite3_reset(st);
    return found;
}

int material_uses(const char *sha256)
{
    sqlite3_stmt *st = db_stmt("SELECT count(*) FROM material WHERE sha256 = ?");
    if (!st)
        return -1;
    db_bind_text(st, 1, sha256);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

bool participant_of(int64_t account_id, const char *edition_slug, const char *course_slug)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT 1 FROM application a JOIN enrolment en ON en.application_id = a.id"
        " JOIN course c ON c.id = en.course_id JOIN edition e ON e.id = a.edition_id"
        " WHERE a.account_id = ? AND e.slug = ? AND (? IS NULL OR c.slug = ?)"
        " AND en.status = 'registered' LIMIT 1");
    if (!st)
        return false;
    db_bind_int(st, 1, account_id);
    db_bind_text(st, 2, edition_slug);
    db_bind_text(st, 3, course_slug);
    db_bind_text(st, 4, course_slug);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return ok;
}

bool trainer_of(const char *email, const char *edition_slug, const char *course_slug)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT 1 FROM person p JOIN course_trainer t ON t.person_id = p.id"
        " JOIN course c ON c.id = t.course_id JOIN edition e ON e.id = c.edition_id"
        " WHERE lower(p.account_email) = lower(?) AND e.slug = ? AND c.slug = ? LIMIT 1");
    if (!st)
        return false;
    db_bind_text(st, 1, email);
    db_bind_text(st, 2, edition_slug);
    db_bind_text(st, 3, course_slug);
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return ok;
}
