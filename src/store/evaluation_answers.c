/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A questionnaire's answers: drafts, the one submission (apart from the
 * fact of having answered, for anonymity), a named answer changed until
 * closing, and the answers read back for results.  The questionnaires
 * themselves, their links and mailings are in evaluation_store.c. */
#include "evaluation_store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../domain/evaluation.h"
#include "db.h"

static json_t *parse(const char *s)
{
    return s ? json_loads(s, 0, NULL) : NULL;
}

bool evaluation_answered(int64_t qid, int64_t enrolment_id)
{
    sqlite3_stmt *st = db_stmt("SELECT 1 FROM evaluation_respondent WHERE questionnaire_id = ?"
                               " AND enrolment_id = ? AND answered = 1");
    if (!st)
        return false;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

json_t *evaluation_draft(int64_t qid, int64_t enrolment_id)
{
    sqlite3_stmt *st = db_stmt("SELECT answers FROM evaluation_draft WHERE questionnaire_id = ?"
                               " AND enrolment_id = ?");
    if (!st)
        return NULL;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    json_t *d = sqlite3_step(st) == SQLITE_ROW ? parse(db_col_text(st, 0)) : NULL;
    sqlite3_reset(st);
    return d;
}

/* With secure_delete on, SQLite overwrites the bytes of what it deletes or
 * replaces instead of leaving them in the page's free space. */
static void secure_delete(bool on)
{
    sqlite3_stmt *st = db_stmt(on ? "PRAGMA secure_delete = ON" : "PRAGMA secure_delete = OFF");
    if (st) {
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_reset(st);
    }
}

bool evaluation_draft_save(int64_t qid, int64_t enrolment_id, const char *answers)
{
    /* No draft once the answer is in: it would tie the person to it. */
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO evaluation_draft (questionnaire_id, enrolment_id, answers)"
        " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM evaluation_respondent"
        "   WHERE questionnaire_id = ?1 AND enrolment_id = ?2 AND answered = 1)"
        " ON CONFLICT (questionnaire_id, enrolment_id) DO UPDATE SET answers = excluded.answers");
    if (!st)
        return false;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    db_bind_text(st, 3, answers);
    /* An earlier version of the draft must not linger in free space. */
    secure_delete(true);
    bool ok = db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
    secure_delete(false);
    return ok;
}

bool evaluation_expect(int64_t qid, int64_t enrolment_id)
{
    sqlite3_stmt *st = db_stmt("INSERT INTO evaluation_respondent (questionnaire_id, enrolment_id)"
                               " VALUES (?, ?) ON CONFLICT DO NOTHING");
    if (!st)
        return false;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    return db_exec_stmt(st);
}

/* Inside evaluation_submit's transaction, after the answerer's flag is set:
 * the answerer's group in the questionnaire's breakdown dimension when at
 * least min_group of the people who answered (the answerer included) share
 * it, else NULL.  Only one dimension is ever copied: two together would
 * narrow an answer to the intersection of two groups, which may be one
 * person.  The value lives in a per-thread buffer until the next call. */
static const char *answer_group(int64_t qid, int64_t enrolment_id)
{
    static const char *const sql[] = {
        "SELECT a.country, (SELECT count(*) FROM evaluation_respondent r JOIN enrolment e2"
        " ON e2.id = r.enrolment_id JOIN application a2 ON a2.id = e2.application_id"
        " WHERE r.questionnaire_id = q.id AND r.answered = 1 AND a2.country = a.country),"
        " q.min_group FROM questionnaire q, enrolment en JOIN application a"
        " ON a.id = en.application_id WHERE q.id = ?1 AND en.id = ?2 AND q.breakdown = 'country'",
        "SELECT a.gender, (SELECT count(*) FROM evaluation_respondent r JOIN enrolment e2"
        " ON e2.id = r.enrolment_id JOIN application a2 ON a2.id = e2.application_id"
        " WHERE r.questionnaire_id = q.id AND r.answered = 1 AND a2.gender = a.gender),"
        " q.min_group FROM questionnaire q, enrolment en JOIN application a"
        " ON a.id = en.application_id WHERE q.id = ?1 AND en.id = ?2 AND q.breakdown = 'gender'",
        "SELECT a.institution_type, (SELECT count(*) FROM evaluation_respondent r JOIN enrolment e2"
        " ON e2.id = r.enrolment_id JOIN application a2 ON a2.id = e2.application_id"
        " WHERE r.questionnaire_id = q.id AND r.answered = 1"
        " AND a2.institution_type = a.institution_type),"
        " q.min_group FROM questionnaire q, enrolment en JOIN application a"
        " ON a.id = en.application_id WHERE q.id = ?1 AND en.id = ?2"
        " AND q.breakdown = 'institution_type'",
    };
    static _Thread_local char group[64];
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *st = db_stmt(sql[i]);
        if (!st)
            return NULL;
        db_bind_int(st, 1, qid);
        db_bind_int(st, 2, enrolment_id);
        bool found = false;
        if (sqlite3_step(st) == SQLITE_ROW && db_col_text(st, 0) && *db_col_text(st, 0) &&
            sqlite3_column_int64(st, 1) >= sqlite3_column_int64(st, 2)) {
            snprintf(group, sizeof group, "%s", db_col_text(st, 0));
            found = true;
        }
        sqlite3_reset(st);
        if (found)
            return group;
    }
    return NULL;
}

enum eval_submit evaluation_submit(int64_t qid, int64_t enrolment_id, const char *answers)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return EVAL_FAILED;
    enum eval_submit r = EVAL_FAILED;
    int anonymous = 1;
    sqlite3_stmt *st = db_stmt("SELECT anonymous, opens_at <= ?2 AND ?2 < closes_at"
                               " FROM questionnaire WHERE id = ?1");
    if (!st)
        goto out;
    db_bind_int(st, 1, qid);
    db_bind_text(st, 2, now);
    bool open = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        anonymous = sqlite3_column_int(st, 0);
        open = sqlite3_column_int(st, 1);
    }
    sqlite3_reset(st);
    if (!open) {
        r = EVAL_CLOSED;
        goto out;
    }
    /* The row normally exists already (evaluation_expect): only its flag
     * changes, in place. */
    if (!evaluation_expect(qid, enrolment_id))
        goto out;
    st = db_stmt("UPDATE evaluation_respondent SET answered = 1"
                 " WHERE questionnaire_id = ? AND enrolment_id = ? AND answered = 0");
    if (!st)
        goto out;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    if (!db_exec_stmt(st))
        goto out;
    if (sqlite3_changes(db_conn()) != 1) {
        r = EVAL_ALREADY;
        goto out;
    }
    /* The answerer's group of an anonymous questionnaire's breakdown,
     * copied without the person and only once enough of the group have
     * answered (this one included, flagged just above). */
    const char *grp = anonymous ? answer_group(qid, enrolment_id) : NULL;
    /* A random id places the answer among the others regardless of when
     * it came: neither rowid nor index order follows arrival. */
    for (int attempt = 0; attempt < 8 && r == EVAL_FAILED; attempt++) {
        int64_t id;
        randombytes_buf(&id, sizeof id);
        id = (int64_t)((uint64_t)id >> 2) + 1; /* positive, below SQLite's maximum */
        st = db_stmt("INSERT INTO evaluation_response (id, questionnaire_id, enrolment_id, answers,"
                     " grp) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
        if (!st)
            goto out;
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, qid);
        if (anonymous)
            sqlite3_bind_null(st, 3);
        else
            db_bind_int(st, 3, enrolment_id);
        db_bind_text(st, 4, answers);
        if (grp)
            db_bind_text(st, 5, grp);
        else
            sqlite3_bind_null(st, 5);
        if (!db_exec_stmt(st))
            goto out;
        if (sqlite3_changes(db_conn()) == 1)
            r = EVAL_STORED;
    }
    if (r != EVAL_STORED)
        goto out;
    /* The draft held the same answers next to the person: its bytes are
     * overwritten, not just unlinked from the b-tree. */
    secure_delete(true);
    st = db_stmt("DELETE FROM evaluation_draft WHERE questionnaire_id = ? AND enrolment_id = ?");
    if (!st) {
        r = EVAL_FAILED;
        goto out;
    }
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    if (!db_exec_stmt(st))
        r = EVAL_FAILED;
    secure_delete(false);
out:
    if (r != EVAL_STORED || !db_commit()) {
        db_rollback();
        return r == EVAL_STORED ? EVAL_FAILED : r;
    }
    /* The write-ahead log holds the pages of this transaction, the person's
     * row and the answer together, until a checkpoint: empty it now (best
     * effort: a reader in the middle of a query makes it wait for later). */
    st = db_stmt("PRAGMA wal_checkpoint(TRUNCATE)");
    if (st) {
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_reset(st);
    }
    return r;
}

json_t *evaluation_own_answer(int64_t qid, int64_t enrolment_id)
{
    sqlite3_stmt *st = db_stmt("SELECT r.answers FROM evaluation_response r JOIN questionnaire q"
                               " ON q.id = r.questionnaire_id WHERE r.questionnaire_id = ?"
                               " AND r.enrolment_id = ? AND q.anonymous = 0");
    if (!st)
        return NULL;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    json_t *a = sqlite3_step(st) == SQLITE_ROW ? parse(db_col_text(st, 0)) : NULL;
    sqlite3_reset(st);
    return a;
}

bool evaluation_change_answer(int64_t qid, int64_t enrolment_id, const char *answers)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt(
        "UPDATE evaluation_response SET answers = ?3 WHERE questionnaire_id = ?1"
        " AND enrolment_id = ?2 AND EXISTS (SELECT 1 FROM questionnaire q WHERE q.id = ?1"
        "   AND q.anonymous = 0 AND q.allow_edit = 1 AND q.opens_at <= ?4 AND ?4 < q.closes_at)");
    if (!st)
        return false;
    db_bind_int(st, 1, qid);
    db_bind_int(st, 2, enrolment_id);
    db_bind_text(st, 3, answers);
    db_bind_text(st, 4, now);
    return db_exec_stmt(st) && sqlite3_changes(db_conn()) == 1;
}

json_t *evaluation_responses(int64_t qid)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt("SELECT answers FROM evaluation_response"
                               " WHERE questionnaire_id = ? ORDER BY id");
    if (!st)
        return arr;
    db_bind_int(st, 1, qid);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = parse(db_col_text(st, 0));
        json_array_append_new(arr, a ? a : json_object());
    }
    sqlite3_reset(st);
    return arr;
}

json_t *evaluation_named_responses(int64_t qid)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT a.given_names || ' ' || a.family_names, r.answers FROM evaluation_response r"
        " JOIN questionnaire q ON q.id = r.questionnaire_id AND q.anonymous = 0"
        " JOIN enrolment en ON en.id = r.enrolment_id JOIN application a"
        " ON a.id = en.application_id WHERE r.questionnaire_id = ? ORDER BY 1");
    if (!st)
        return arr;
    db_bind_int(st, 1, qid);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = parse(db_col_text(st, 1));
        json_array_append_new(arr, json_pack("{s:s, s:o}", "name", db_col_text(st, 0), "answers",
                                             a ? a : json_object()));
    }
    sqlite3_reset(st);
    return arr;
}

json_t *evaluation_grouped_responses(int64_t qid, const char *dimension)
{
    json_t *arr = json_array();
    /* The column comes from this fixed list, never from the request. */
    static const char *const sql[] = {
        "SELECT a.country, r.answers FROM evaluation_response r JOIN questionnaire q"
        " ON q.id = r.questionnaire_id AND q.anonymous = 0 JOIN enrolment en"
        " ON en.id = r.enrolment_id JOIN application a ON a.id = en.application_id"
        " WHERE r.questionnaire_id = ? ORDER BY 1",
        "SELECT a.gender, r.answers FROM evaluation_response r JOIN questionnaire q"
        " ON q.id = r.questionnaire_id AND q.anonymous = 0 JOIN enrolment en"
        " ON en.id = r.enrolment_id JOIN application a ON a.id = en.application_id"
        " WHERE r.questionnaire_id = ? ORDER BY 1",
        "SELECT a.institution_type, r.answers FROM evaluation_response r JOIN questionnaire q"
        " ON q.id = r.questionnaire_id AND q.anonymous = 0 JOIN enrolment en"
        " ON en.id = r.enrolment_id JOIN application a ON a.id = en.application_id"
        " WHERE r.questionnaire_id = ? ORDER BY 1",
    };
    int which = strcmp(dimension, "country") == 0 ? 0 : strcmp(dimension, "gender") == 0 ? 1
              : strcmp(dimension, "institution_type") == 0 ? 2 : -1;
    sqlite3_stmt *st = which >= 0 ? db_stmt(sql[which]) : NULL;
    if (!st)
        return arr;
    db_bind_int(st, 1, qid);
    bool named = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    if (!named) {
        /* An anonymous questionnaire: the group copied with each answer, in
         * its breakdown dimension only (NULL: among "others"). */
        st = db_stmt("SELECT r.grp, r.answers FROM evaluation_response r JOIN questionnaire q"
                     " ON q.id = r.questionnaire_id AND q.anonymous = 1 AND q.breakdown = ?2"
                     " WHERE r.questionnaire_id = ?1 ORDER BY r.id");
        if (!st)
            return arr;
        db_bind_int(st, 1, qid);
        db_bind_text(st, 2, dimension);
    }
    else
        db_bind_int(st, 1, qid);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = parse(db_col_text(st, 1));
        json_array_append_new(arr, json_pack("{s:s?, s:o}", "group", db_col_text(st, 0), "answers",
                                             a ? a : json_object()));
    }
    sqlite3_reset(st);
    return arr;
}
