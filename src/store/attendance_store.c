/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "attendance_store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "account_store.h"
#include "db.h"

json_t *meeting_of_day(int64_t day_id)
{
    sqlite3_stmt *st = db_stmt("SELECT platform, join_url, meeting_id, passcode FROM meeting"
                               " WHERE course_day_id = ?");
    if (!st)
        return NULL;
    db_bind_int(st, 1, day_id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        o = json_pack("{s:s, s:s, s:s?, s:s?}", "platform", db_col_text(st, 0), "join_url",
                      db_col_text(st, 1), "meeting_id", db_col_text(st, 2), "passcode",
                      db_col_text(st, 3));
    sqlite3_reset(st);
    return o;
}

bool meeting_set(int64_t day_id, const char *platform, const char *join_url,
                 const char *meeting_id, const char *passcode)
{
    sqlite3_stmt *st;
    if (!join_url) {
        st = db_stmt("DELETE FROM meeting WHERE course_day_id = ?");
        if (!st)
            return false;
        db_bind_int(st, 1, day_id);
        return db_exec_stmt(st);
    }
    st = db_stmt("INSERT INTO meeting (course_day_id, platform, join_url, meeting_id, passcode)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (course_day_id) DO UPDATE SET"
                 " platform = excluded.platform, join_url = excluded.join_url,"
                 " meeting_id = excluded.meeting_id, passcode = excluded.passcode");
    if (!st)
        return false;
    db_bind_int(st, 1, day_id);
    db_bind_text(st, 2, platform);
    db_bind_text(st, 3, join_url);
    db_bind_text(st, 4, meeting_id);
    db_bind_text(st, 5, passcode);
    return db_exec_stmt(st);
}

bool meetings_set(const struct meeting_row *rows, size_t n)
{
    if (!db_begin())
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!meeting_set(rows[i].day_id, rows[i].platform, rows[i].join_url, rows[i].meeting_id,
                         rows[i].passcode)) {
            db_rollback();
            return false;
        }
    }
    if (!db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

bool join_link_token(int64_t enrolment_id, char *token, size_t n)
{
    sqlite3_stmt *st = db_stmt("SELECT token FROM join_link WHERE enrolment_id = ?"
                               " AND revoked_at IS NULL");
    if (!st)
        return false;
    db_bind_int(st, 1, enrolment_id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        snprintf(token, n, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    if (found)
        return true;
    /* 128 random bits: the link is the participant's alone. */
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    char tok[32];
    sodium_bin2base64(tok, sizeof tok, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char now[32];
    db_now(now);
    /* Links are made for registered participants only. */
    st = db_stmt("INSERT INTO join_link (token, enrolment_id, created_at)"
                 " SELECT ?, id, ? FROM enrolment WHERE id = ? AND status = 'registered'");
    if (!st)
        return false;
    db_bind_text(st, 1, tok);
    db_bind_text(st, 2, now);
    db_bind_int(st, 3, enrolment_id);
    if (!db_exec_stmt(st) || sqlite3_changes(db_conn()) != 1)
        return false;
    snprintf(token, n, "%s", tok);
    return true;
}

enum join_state join_link_use(const char *token, int64_t *enrolment_id)
{
    /* Only a registered participant's link opens the meeting, whatever
     * happened to the enrolment since the link was made. */
    sqlite3_stmt *st = db_stmt("SELECT l.enrolment_id, l.revoked_at IS NOT NULL"
                               " OR en.status IS NOT 'registered' FROM join_link l"
                               " LEFT JOIN enrolment en ON en.id = l.enrolment_id"
                               " WHERE l.token = ?");
    if (!st)
        return JOIN_UNKNOWN;
    db_bind_text(st, 1, token);
    enum join_state r = JOIN_UNKNOWN;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *enrolment_id = sqlite3_column_int64(st, 0);
        r = sqlite3_column_int(st, 1) ? JOIN_REVOKED : JOIN_OK;
    }
    sqlite3_reset(st);
    if (r == JOIN_OK) {
        /* A counter and two dates per link: visits never add rows. */
        char now[32];
        db_now(now);
        st = db_stmt("UPDATE join_link SET visits = visits + 1,"
                     " first_visit_at = coalesce(first_visit_at, ?1), last_visit_at = ?1"
                     " WHERE token = ?2");
        if (st) {
            db_bind_text(st, 1, now);
            db_bind_text(st, 2, token);
            db_exec_stmt(st);
        }
    }
    return r;
}

bool join_link_revoke(int64_t enrolment_id)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt("UPDATE join_link SET revoked_at = ? WHERE enrolment_id = ?"
                               " AND revoked_at IS NULL");
    if (!st)
        return false;
    db_bind_text(st, 1, now);
    db_bind_int(st, 2, enrolment_id);
    return db_exec_stmt(st);
}

int join_clicks(int64_t enrolment_id)
{
    sqlite3_stmt *st = db_stmt("SELECT coalesce(sum(visits), 0) FROM join_link"
                               " WHERE enrolment_id = ?");
    if (!st)
        return 0;
    db_bind_int(st, 1, enrolment_id);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return n;
}

json_t *course_participants(const char *edition_slug, const char *course_slug)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT en.id, a.id, a.email, a.given_names, a.family_names, a.form_of_address, a.gender"
        " FROM enrolment en JOIN application a ON a.id = en.application_id"
        " JOIN course c ON c.id = en.course_id JOIN edition e ON e.id = c.edition_id"
        " WHERE e.slug = ? AND c.slug = ? AND en.status = 'registered'"
        " ORDER BY a.family_names, a.given_names, a.id");
    if (!st)
        return arr;
    db_bind_text(st, 1, edition_slug);
    db_bind_text(st, 2, course_slug);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}",
            "enrolment_id", (json_int_t)sqlite3_column_int64(st, 0),
            "application_id", (json_int_t)sqlite3_column_int64(st, 1),
            "email", db_col_text(st, 2), "given_names", db_col_text(st, 3),
            "family_names", db_col_text(st, 4), "form_of_address", db_col_text(st, 5),
            "gender", db_col_text(st, 6)));
    sqlite3_reset(st);
    return arr;
}

bool enrolment_course(int64_t enrolment_id, char *edition, size_t en, char *course, size_t cn)
{
    sqlite3_stmt *st = db_stmt("SELECT e.slug, c.slug FROM enrolment x JOIN course c"
                               " ON c.id = x.course_id JOIN edition e ON e.id = c.edition_id"
                               " WHERE x.id = ?");
    if (!st)
        return false;
    db_bind_int(st, 1, enrolment_id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        snprintf(edition, en, "%s", db_col_text(st, 0));
        snprintf(course, cn, "%s", db_col_text(st, 1));
    }
    sqlite3_reset(st);
    return found;
}

bool attendance_import_replace(int64_t day_id, const char *file_name, const char *tz,
                               const char *shape, const struct zoom_row *rows, size_t n,
                               const char *by)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    /* Deleting the import deletes its rows: a re-import replaces, never adds. */
    sqlite3_stmt *st = db_stmt("DELETE FROM attendance_import WHERE course_day_id = ?");
    bool ok = st != NULL;
    if (ok) {
        db_bind_int(st, 1, day_id);
        ok = db_exec_stmt(st);
    }
    int64_t import_id = 0;
    if (ok && (st = db_stmt("INSERT INTO attendance_import (course_day_id, file_name, time_zone,"
                            " shape, rows, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?)"
                            " RETURNING id"))) {
        db_bind_int(st, 1, day_id);
        db_bind_text(st, 2, file_name);
        db_bind_text(st, 3, tz);
        db_bind_text(st, 4, shape);
        db_bind_int(st, 5, (int64_t)n);
        db_bind_text(st, 6, now);
        db_bind_text(st, 7, by);
        import_id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
    }
    ok = ok && import_id;
    st = ok ? db_stmt("INSERT INTO attendance_row (import_id, line, name, original_name, email,"
                      " join_utc, leave_utc, waiting_room, guest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            : NULL;
    for (size_t i = 0; ok && st && i < n; i++) {
        const struct zoom_row *r = &rows[i];
        sqlite3_bind_int64(st, 1, import_id);
        sqlite3_bind_int(st, 2, r->line);
        sqlite3_bind_text(st, 3, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, r->original_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, r->email, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)r->join);
        sqlite3_bind_int64(st, 7, (sqlite3_int64)r->leave);
        sqlite3_bind_int(st, 8, r->waiting_room);
        sqlite3_bind_int(st, 9, r->guest);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_reset(st);
    }
    if (ok) {
        char subject[64], detail[200];
        snprintf(subject, sizeof subject, "course_day:%lld", (long long)day_id);
        snprintf(detail, sizeof detail, "%zu rows from %s", n, file_name ? file_name : "?");
        ok = audit(by, "attendance.import", subject, detail);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

json_t *attendance_import_of(int64_t day_id)
{
    sqlite3_stmt *st = db_stmt("SELECT file_name, time_zone, rows, imported_at, imported_by"
                               " FROM attendance_import WHERE course_day_id = ?");
    if (!st)
        return NULL;
    db_bind_int(st, 1, day_id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        o = json_pack("{s:s?, s:s, s:I, s:s, s:s}", "file_name", db_col_text(st, 0),
                      "time_zone", db_col_text(st, 1), "rows",
                      (json_int_t)sqlite3_column_int64(st, 2), "imported_at", db_col_text(st, 3),
                      "imported_by", db_col_text(st, 4));
    sqlite3_reset(st);
    return o;
}

void attendance_rows_each(int64_t day_id, attendance_row_fn fn, void *ud)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT r.id, r.name, r.original_name, r.email, r.join_utc, r.leave_utc, r.waiting_room"
        " FROM attendance_row r JOIN attendance_import i ON i.id = r.import_id"
        " WHERE i.course_day_id = ? ORDER BY r.id");
    if (!st)
        return;
    db_bind_int(st, 1, day_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        fn(ud, sqlite3_column_int64(st, 0), db_col_text(st, 1), db_col_text(st, 2),
           db_col_text(st, 3), sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5),
           sqlite3_column_int(st, 6) != 0);
    sqlite3_reset(st);
}

json_t *name_matches(const char *edition_slug)
{
    json_t *o = json_object();
    sqlite3_stmt *st = db_stmt("SELECT m.name_key, COALESCE(m.application_id, 0) FROM name_match m"
                               " JOIN edition e ON e.id = m.edition_id WHERE e.slug = ?");
    if (!st)
        return o;
    db_bind_text(st, 1, edition_slug);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(o, db_col_text(st, 0), json_integer(sqlite3_column_int64(st, 1)));
    sqlite3_reset(st);
    return o;
}

bool name_match_set(const char *edition_slug, const char *name_key, int64_t application_id,
                    const char *by)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO name_match (edition_id, name_key, application_id, decided_by, decided_at)"
        " SELECT id, ?, ?, ?, ? FROM edition WHERE slug = ?"
        " ON CONFLICT (edition_id, name_key) DO UPDATE SET application_id ="
        " excluded.application_id, decided_by = excluded.decided_by, decided_at = excluded.decided_at");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, name_key);
        if (application_id)
            db_bind_int(st, 2, application_id);
        else
            sqlite3_bind_null(st, 2);
        db_bind_text(st, 3, by);
        db_bind_text(st, 4, now);
        db_bind_text(st, 5, edition_slug);
        ok = db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
    }
    if (ok) {
        char detail[300];
        if (application_id)
            snprintf(detail, sizeof detail, "\"%s\" is application %lld", name_key,
                     (long long)application_id);
        else
            snprintf(detail, sizeof detail, "\"%s\" is not a participant", name_key);
        ok = audit(by, "attendance.match", edition_slug, detail);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

bool name_match_forget(const char *edition_slug, const char *name_key, const char *by)
{
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt("DELETE FROM name_match WHERE name_key = ?"
                               " AND edition_id = (SELECT id FROM edition WHERE slug = ?)");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, name_key);
        db_bind_text(st, 2, edition_slug);
        ok = db_exec_stmt(st);
    }
    if (ok) {
        char detail[300];
        snprintf(detail, sizeof detail, "\"%s\" is undecided again", name_key);
        ok = audit(by, "attendance.unmatch", edition_slug, detail);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

json_t *attendance_overrides(const char *edition_slug, const char *course_slug)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT o.enrolment_id, o.course_day_id, o.minutes, o.reason, o.set_by, o.set_at"
        " FROM attendance_override o JOIN course_day d ON d.id = o.course_day_id"
        " JOIN course c ON c.id = d.course_id JOIN edition e ON e.id = c.edition_id"
        " WHERE e.slug = ? AND c.slug = ?");
    if (!st)
        return arr;
    db_bind_text(st, 1, edition_slug);
    db_bind_text(st, 2, course_slug);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:I, s:s, s:s, s:s}",
            "enrolment_id", (json_int_t)sqlite3_column_int64(st, 0),
            "day_id", (json_int_t)sqlite3_column_int64(st, 1),
            "minutes", (json_int_t)sqlite3_column_int64(st, 2), "reason", db_col_text(st, 3),
            "set_by", db_col_text(st, 4), "set_at", db_col_text(st, 5)));
    sqlite3_reset(st);
    return arr;
}

bool attendance_override_set(int64_t enrolment_id, int64_t day_id, int minutes,
                             const char *reason, const char *by)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO attendance_override (enrolment_id, course_day_id, minutes, reason, set_by,"
        " set_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (enrolment_id, course_day_id) DO UPDATE"
        " SET minutes = excluded.minutes, reason = excluded.reason, set_by = excluded.set_by,"
        " set_at = excluded.set_at");
    bool ok = st != NULL;
    if (ok) {
        db_bind_int(st, 1, enrolment_id);
        db_bind_int(st, 2, day_id);
        db_bind_int(st, 3, minutes);
        db_bind_text(st, 4, reason);
        db_bind_text(st, 5, by);
        db_bind_text(st, 6, now);
        ok = db_exec_stmt(st);
    }
    if (ok) {
        char subject[64], detail[600];
        snprintf(subject, sizeof subject, "enrolment:%lld", (long long)enrolment_id);
        snprintf(detail, sizeof detail, "day %lld: %d minutes (%s)", (long long)day_id, minutes,
                 reason);
        ok = audit(by, "attendance.override", subject, detail);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

bool course_rule(const char *edition_slug, const char *course_slug, int *percent, int *min_day)
{
    sqlite3_stmt *st = db_stmt("SELECT c.rule_percent, c.rule_min_day_percent FROM course c"
                               " JOIN edition e ON e.id = c.edition_id WHERE e.slug = ?"
                               " AND c.slug = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, edition_slug);
    db_bind_text(st, 2, course_slug);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        *percent = sqlite3_column_int(st, 0);
        *min_day = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    return found;
}
