/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "assignment_store.h"

#include "db.h"

bool session_person_add(int64_t session_id, int64_t person_id, const char *role)
{
    /* The person must belong to the session's edition. */
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO session_person (session_id, person_id, sort_order, role)"
        " SELECT s.id, p.id, (SELECT coalesce(max(sort_order), -1) + 1 FROM session_person"
        "  WHERE session_id = s.id), ?"
        " FROM programme_session s JOIN time_block b ON b.id = s.block_id"
        " JOIN course_day d ON d.id = b.day_id JOIN course c ON c.id = d.course_id"
        " JOIN person p ON p.edition_id = c.edition_id WHERE s.id = ? AND p.id = ?"
        " ON CONFLICT DO NOTHING");
    if (!st)
        return false;
    db_bind_text(st, 1, role);
    db_bind_int(st, 2, session_id);
    db_bind_int(st, 3, person_id);
    return db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
}

bool session_person_remove(int64_t session_id, int64_t person_id, const char *role)
{
    sqlite3_stmt *st = db_stmt("DELETE FROM session_person WHERE session_id = ? AND person_id = ?"
                               " AND role = ?");
    if (!st)
        return false;
    db_bind_int(st, 1, session_id);
    db_bind_int(st, 2, person_id);
    db_bind_text(st, 3, role);
    return db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
}

bool course_trainer_add(int64_t course_id, int64_t person_id)
{
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO course_trainer (course_id, person_id, sort_order)"
        " SELECT c.id, p.id, (SELECT coalesce(max(sort_order), -1) + 1 FROM course_trainer"
        "  WHERE course_id = c.id) FROM course c JOIN person p ON p.edition_id = c.edition_id"
        " WHERE c.id = ? AND p.id = ? ON CONFLICT DO NOTHING");
    if (!st)
        return false;
    db_bind_int(st, 1, course_id);
    db_bind_int(st, 2, person_id);
    return db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
}

bool course_trainer_remove(int64_t course_id, int64_t person_id)
{
    sqlite3_stmt *st = db_stmt("DELETE FROM course_trainer WHERE course_id = ? AND person_id = ?");
    if (!st)
        return false;
    db_bind_int(st, 1, course_id);
    db_bind_int(st, 2, person_id);
    return db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
}
