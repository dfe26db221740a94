/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "invitation_store.h"

#include <stdio.h>
#include <string.h>

#include "db.h"

json_t *course_invitees(const char *edition_slug, const char *course_slug)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT en.id, en.application_id, i.uid, i.sequence, i.schedule FROM enrolment en"
        " JOIN course c ON c.id = en.course_id JOIN edition e ON e.id = c.edition_id"
        " LEFT JOIN invitation i ON i.enrolment_id = en.id"
        " WHERE e.slug = ? AND c.slug = ? AND en.status = 'registered' ORDER BY en.id");
    if (!st)
        return arr;
    db_bind_text(st, 1, edition_slug);
    db_bind_text(st, 2, course_slug);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s?, s:i, s:s?}",
            "enrolment_id", (json_int_t)sqlite3_column_int64(st, 0),
            "application_id", (json_int_t)sqlite3_column_int64(st, 1),
            "uid", db_col_text(st, 2), "sequence", sqlite3_column_int(st, 3),
            "schedule", db_col_text(st, 4)));
    sqlite3_reset(st);
    return arr;
}

json_t *invitations_sent(void)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT i.enrolment_id, en.application_id, e.slug, c.slug, i.uid, i.sequence, i.schedule"
        " FROM invitation i JOIN enrolment en ON en.id = i.enrolment_id"
        " JOIN course c ON c.id = en.course_id JOIN edition e ON e.id = c.edition_id"
        " WHERE en.status = 'registered' ORDER BY i.enrolment_id");
    if (!st)
        return arr;
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:s}",
            "enrolment_id", (json_int_t)sqlite3_column_int64(st, 0),
            "application_id", (json_int_t)sqlite3_column_int64(st, 1),
            "edition", db_col_text(st, 2), "course", db_col_text(st, 3),
            "uid", db_col_text(st, 4), "sequence", sqlite3_column_int(st, 5),
            "schedule", db_col_text(st, 6)));
    sqlite3_reset(st);
    return arr;
}

bool invitation_send(int64_t enrolment_id, int64_t application_id, const char *uid, int sequence,
                     const char *schedule, const char *kind, const struct message *m,
                     const char *batch)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO invitation (enrolment_id, uid, sequence, schedule, sent_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (enrolment_id) DO UPDATE SET"
        " sequence = excluded.sequence, schedule = excluded.schedule, sent_at = excluded.sent_at");
    bool ok = st != NULL;
    if (ok) {
        db_bind_int(st, 1, enrolment_id);
        db_bind_text(st, 2, uid);
        db_bind_int(st, 3, sequence);
        db_bind_text(st, 4, schedule);
        db_bind_text(st, 5, now);
        ok = db_exec_stmt(st) && outbox_queue(kind, application_id, m, batch);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

json_t *course_days_with_times(void)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT d.id, e.slug, c.slug, d.day, min(b.start_utc), max(b.end_utc), e.reminder_offsets"
        " FROM course_day d JOIN course c ON c.id = d.course_id JOIN edition e ON e.id = c.edition_id"
        " JOIN time_block b ON b.day_id = d.id WHERE e.status = 'published'"
        " GROUP BY d.id ORDER BY 5");
    if (!st)
        return arr;
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
            "day_id", (json_int_t)sqlite3_column_int64(st, 0), "edition", db_col_text(st, 1),
            "course", db_col_text(st, 2), "date", db_col_text(st, 3),
            "start_utc", db_col_text(st, 4), "end_utc", db_col_text(st, 5),
            "offsets", db_col_text(st, 6)));
    sqlite3_reset(st);
    return arr;
}

bool reminder_was_queued(int64_t day_id, int offset_minutes, bool *sent)
{
    sqlite3_stmt *st = db_stmt("SELECT 1 FROM reminder_sent WHERE course_day_id = ?"
                               " AND offset_minutes = ?");
    if (!st)
        return false;
    db_bind_int(st, 1, day_id);
    db_bind_int(st, 2, offset_minutes);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    *sent = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

bool reminder_queue_once(int64_t day_id, int offset_minutes, const struct message *messages,
                         const int64_t *application_ids, int n)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt("INSERT INTO reminder_sent (course_day_id, offset_minutes, queued_at)"
                               " VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
    bool ok = st != NULL;
    if (ok) {
        db_bind_int(st, 1, day_id);
        db_bind_int(st, 2, offset_minutes);
        db_bind_text(st, 3, now);
        ok = db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
    }
    for (int i = 0; ok && i < n; i++)
        ok = outbox_queue("reminder", application_ids[i], &messages[i], NULL);
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

bool course_meeting_url(const char *edition_slug, const char *course_slug, char *buf, size_t n)
{
    sqlite3_stmt *st = db_stmt("SELECT c.meeting_url FROM course c JOIN edition e"
                               " ON e.id = c.edition_id WHERE e.slug = ? AND c.slug = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, edition_slug);
    db_bind_text(st, 2, course_slug);
    bool found = sqlite3_step(st) == SQLITE_ROW && db_col_text(st, 0);
    if (found)
        snprintf(buf, n, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    return found;
}
