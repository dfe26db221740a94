/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "progress_store.h"

#include <stdbool.h>

#include "db.h"

static const char *const statuses[] = {"submitted", "accepted", "waitlisted",
                                       "rejected", "registered", "withdrawn"};

/* A count from a statement taking one id; -1 when it could not be read. */
static json_int_t count_for(const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return -1;
    db_bind_int(st, 1, id);
    json_int_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_reset(st);
    return n;
}

static bool add_statuses(json_t *course, int64_t course_id)
{
    json_t *counts = json_object();
    for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
        json_object_set_new(counts, statuses[i], json_integer(0));
    sqlite3_stmt *st = db_stmt("SELECT status, count(*) FROM enrolment WHERE course_id = ?"
                               " GROUP BY status");
    if (!st)
        return false;
    db_bind_int(st, 1, course_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(counts, db_col_text(st, 0), json_integer(sqlite3_column_int64(st, 1)));
    sqlite3_reset(st);
    json_object_set_new(course, "status", counts);
    return rc == SQLITE_DONE;
}

static bool add_days(json_t *course, int64_t course_id)
{
    json_t *days = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT d.day, EXISTS (SELECT 1 FROM attendance_import i WHERE i.course_day_id = d.id)"
        " FROM course_day d WHERE d.course_id = ? ORDER BY d.sort_order, d.day");
    if (!st)
        return false;
    db_bind_int(st, 1, course_id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(days, json_pack("{s:s, s:b}", "date", db_col_text(st, 0), "imported",
                                              sqlite3_column_int(st, 1)));
    sqlite3_reset(st);
    json_object_set_new(course, "days", days);
    return rc == SQLITE_DONE;
}

json_t *edition_progress(const char *edition_slug)
{
    sqlite3_stmt *st = db_stmt("SELECT id FROM edition WHERE slug = ?");
    if (!st)
        return NULL;
    db_bind_text(st, 1, edition_slug);
    int64_t edition = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (!edition)
        return NULL;

    json_t *courses = json_array();
    st = db_stmt("SELECT id, slug, title_es, title_en, capacity FROM course WHERE edition_id = ?"
                 " ORDER BY sort_order, id");
    if (!st)
        return NULL;
    db_bind_int(st, 1, edition);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(courses, json_pack("{s:I, s:s, s:{s:s?, s:s?}, s:I}", "id",
            (json_int_t)sqlite3_column_int64(st, 0), "slug", db_col_text(st, 1), "title", "es",
            db_col_text(st, 2), "en", db_col_text(st, 3), "capacity",
            (json_int_t)sqlite3_column_int64(st, 4)));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return NULL;

    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        int64_t id = json_integer_value(json_object_get(c, "id"));
        json_int_t invited = count_for(
            "SELECT count(*) FROM invitation i JOIN enrolment n ON n.id = i.enrolment_id"
            " WHERE n.course_id = ? AND n.status = 'registered'", id);
        json_int_t certified = count_for(
            "SELECT count(DISTINCT c.enrolment_id) FROM certificate c"
            " JOIN enrolment n ON n.id = c.enrolment_id WHERE n.course_id = ? AND c.status = 'valid'",
            id);
        if (invited < 0 || certified < 0 || !add_statuses(c, id) || !add_days(c, id))
            return NULL;
        json_object_set_new(c, "invited", json_integer(invited));
        json_object_set_new(c, "certified", json_integer(certified));
        json_object_del(c, "id");
    }
    json_int_t failed = count_for(
        "SELECT count(*) FROM outbox o JOIN application a ON a.id = o.application_id"
        " WHERE a.edition_id = ? AND o.status = 'failed'", edition);
    if (failed < 0)
        return NULL;
    return json_pack("{s:I, s:o}", "failed_messages", failed, "courses", courses);
}
