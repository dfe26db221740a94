/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "application_store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../domain/name_match.h"
#include "../domain/signin_link.h"
#include "account_store.h"
#include "outbox_store.h"
#include "db.h"

/* ---- outbox ---- */

static bool queue_message(message_fn msg, void *ud, const char *kind, int64_t application_id,
                          json_t *extra)
{
    if (!msg)
        return true;
    struct message m = {0};
    return msg(ud, kind, application_id, extra, &m) && outbox_queue(kind, application_id, &m, NULL);
}

json_t *outbox_recent(int limit)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT id, created_at, kind, to_addr, language, subject, body_text, status, attempts,"
        " last_error FROM outbox ORDER BY id DESC LIMIT ?");
    if (!st)
        return arr;
    db_bind_int(st, 1, limit);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s?}",
            "id", (json_int_t)sqlite3_column_int64(st, 0), "created_at", db_col_text(st, 1),
            "kind", db_col_text(st, 2), "to", db_col_text(st, 3), "language", db_col_text(st, 4),
            "subject", db_col_text(st, 5), "body", db_col_text(st, 6), "status",
            db_col_text(st, 7), "attempts", (json_int_t)sqlite3_column_int64(st, 8),
            "last_error", db_col_text(st, 9)));
    }
    sqlite3_reset(st);
    return arr;
}

/* ---- accounts ---- */

int64_t participant_account(const char *email)
{
    char now[32];
    db_now(now);
    /* An existing account keeps its role: staff may apply too. */
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO account (email, role, created_at) VALUES (lower(?), 'participant', ?)"
        " ON CONFLICT (email) DO UPDATE SET email = excluded.email RETURNING id");
    if (!st)
        return 0;
    db_bind_text(st, 1, email);
    db_bind_text(st, 2, now);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

/* ---- applying ---- */

static int64_t find_by_submission(const char *key)
{
    sqlite3_stmt *st = db_stmt("SELECT id FROM application WHERE submission_key = ?");
    if (!st)
        return 0;
    db_bind_text(st, 1, key);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

enum apply_result application_create(const struct application_input *in, message_fn msg,
                                     void *ud, int64_t *id)
{
    *id = find_by_submission(in->submission_key);
    if (*id)
        return APPLY_REPEATED;
    if (!db_begin())
        return APPLY_ERROR;
    enum apply_result result = APPLY_ERROR;
    sqlite3_stmt *st = db_stmt("SELECT id FROM edition WHERE slug = ?");
    if (!st)
        goto out;
    db_bind_text(st, 1, in->edition_slug);
    int64_t edition = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    st = db_stmt("SELECT id FROM application WHERE edition_id = ? AND email = lower(?)");
    if (!edition || !st)
        goto out;
    db_bind_int(st, 1, edition);
    db_bind_text(st, 2, in->email);
    *id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (*id) {
        result = APPLY_DUPLICATE;
        goto out;
    }
    int64_t account = participant_account(in->email);
    char now[32];
    db_now(now);
    st = db_stmt(
        "INSERT INTO application (edition_id, account_id, email, form_of_address, given_names,"
        " family_names, gender, country, institution_type, institution, position, phone,"
        " language, motivation, consent_at, submission_key, created_at)"
        " VALUES (?, ?, lower(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!account || !st)
        goto out;
    const char *vals[] = {in->email, in->form_of_address, in->given_names, in->family_names,
                          in->gender, in->country, in->institution_type, in->institution,
                          in->position, in->phone, in->language, in->motivation};
    db_bind_int(st, 1, edition);
    db_bind_int(st, 2, account);
    for (int i = 0; i < 12; i++)
        db_bind_text(st, 3 + i, vals[i]);
    db_bind_text(st, 15, now);
    db_bind_text(st, 16, in->submission_key);
    db_bind_text(st, 17, now);
    *id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (!*id)
        goto out;
    for (size_t i = 0; i < in->ncourses; i++) {
        st = db_stmt("INSERT INTO enrolment (application_id, course_id, status, status_at)"
                     " SELECT ?, id, 'submitted', ? FROM course WHERE edition_id = ? AND slug = ?");
        if (!st)
            goto out;
        db_bind_int(st, 1, *id);
        db_bind_text(st, 2, now);
        db_bind_int(st, 3, edition);
        db_bind_text(st, 4, in->courses[i]);
        if (!db_exec_stmt(st))
            goto out;
        if (sqlite3_changes(db_conn()) != 1) {
            result = APPLY_UNKNOWN_COURSE;
            goto out;
        }
    }
    char subject[64];
    snprintf(subject, sizeof subject, "application:%lld", (long long)*id);
    if (!audit(in->email, "application.submit", subject, in->edition_slug) ||
        !queue_message(msg, ud, "application.received", *id, NULL) || !db_commit())
        goto out;
    return APPLY_CREATED;
out:
    db_rollback();
    return result;
}

/* ---- reading ---- */

static json_t *enrolments_of(int64_t application_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT en.id, c.slug, c.title_es, c.title_en, en.status, en.status_at, c.capacity"
        " FROM enrolment en JOIN course c ON c.id = en.course_id"
        " WHERE en.application_id = ? ORDER BY c.sort_order, c.id");
    if (!st)
        return arr;
    db_bind_int(st, 1, application_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *title = json_object();
        if (db_col_text(st, 2))
            json_object_set_new(title, "es", json_string(db_col_text(st, 2)));
        if (db_col_text(st, 3))
            json_object_set_new(title, "en", json_string(db_col_text(st, 3)));
        const char *status = db_col_text(st, 4);
        json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:s}", "id",
                              (json_int_t)sqlite3_column_int64(st, 0), "course", db_col_text(st, 1),
                              "course_title", title, "status", status, "status_at",
                              db_col_text(st, 5));
        char flag[32];
        snprintf(flag, sizeof flag, "is_%s", status);
        json_object_set_new(o, flag, json_true());
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}

/* A macro, not a variable, so that the queries using it are built at compile time
   (a buffer filled on first use would be a data race between request threads). */
#define APPLICATION_COLUMNS \
    "a.id, e.slug, e.title_es, e.title_en, a.email, a.form_of_address, a.given_names," \
    " a.family_names, a.gender, a.country, a.institution_type, a.institution, a.position," \
    " a.phone, a.language, a.motivation, a.created_at, a.city, a.time_zone, a.accessibility," \
    " a.recording_consent, a.registered_at, a.account_id, e.contact_email"

static json_t *application_row(sqlite3_stmt *st)
{
    static const char *const keys[] = {
        "id", "edition", "edition_title_es", "edition_title_en", "email", "form_of_address",
        "given_names", "family_names", "gender", "country", "institution_type", "institution",
        "position", "phone", "language", "motivation", "created_at", "city", "time_zone",
        "accessibility", "recording_consent", "registered_at", "account_id", "contact_email"};
    json_t *o = json_object();
    for (int i = 0; i < (int)(sizeof keys / sizeof keys[0]); i++) {
        if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
            json_object_set_new(o, keys[i], json_integer(sqlite3_column_int64(st, i)));
        else if (sqlite3_column_type(st, i) == SQLITE_NULL)
            json_object_set_new(o, keys[i], json_null());
        else
            json_object_set_new(o, keys[i], json_string(db_col_text(st, i)));
    }
    json_t *title = json_object();
    json_t *tes = json_object_get(o, "edition_title_es"), *ten = json_object_get(o, "edition_title_en");
    if (json_is_string(tes))
        json_object_set(title, "es", tes);
    if (json_is_string(ten))
        json_object_set(title, "en", ten);
    json_object_del(o, "edition_title_es");
    json_object_del(o, "edition_title_en");
    json_object_set_new(o, "edition_title", title);
    return o;
}

json_t *application_load(int64_t id)
{
    static const char sql[] = "SELECT " APPLICATION_COLUMNS
                              " FROM application a JOIN edition e ON e.id = a.edition_id"
                              " WHERE a.id = ?";
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return NULL;
    db_bind_int(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? application_row(st) : NULL;
    sqlite3_reset(st);
    if (o)
        json_object_set_new(o, "enrolments", enrolments_of(id));
    return o;
}

json_t *applications_of_account(int64_t account_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt("SELECT id FROM application WHERE account_id = ? ORDER BY id DESC");
    if (!st)
        return arr;
    db_bind_int(st, 1, account_id);
    json_t *ids = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(ids, json_integer(sqlite3_column_int64(st, 0)));
    sqlite3_reset(st);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) {
        json_t *a = application_load(json_integer_value(v));
        if (a)
            json_array_append_new(arr, a);
    }
    json_decref(ids);
    return arr;
}

json_t *enrolments_list(const char *edition_slug, const struct application_filter *f)
{
    json_t *arr = json_array();
    /* Every filter is a bound parameter; an empty one matches everything. */
    sqlite3_stmt *st = db_stmt(
        "SELECT en.id, en.status, en.status_at, c.slug, c.title_es, c.title_en, a.id,"
        " a.form_of_address, a.given_names, a.family_names, a.email, a.country,"
        " a.institution_type, a.institution, a.position, a.language, a.created_at, a.gender,"
        " a.phone, a.motivation, a.city, a.time_zone, a.accessibility, a.recording_consent,"
        " a.registered_at"
        " FROM enrolment en JOIN application a ON a.id = en.application_id"
        " JOIN course c ON c.id = en.course_id JOIN edition e ON e.id = a.edition_id"
        " WHERE e.slug = ?1 AND (?2 = '' OR en.status = ?2) AND (?3 = '' OR c.slug = ?3)"
        " AND (?4 = '' OR a.country = ?4) AND (?5 = '' OR a.institution_type = ?5)"
        " ORDER BY a.created_at, a.id, c.sort_order");
    if (!st)
        return arr;
    db_bind_text(st, 1, edition_slug);
    db_bind_text(st, 2, f && f->status ? f->status : "");
    db_bind_text(st, 3, f && f->course ? f->course : "");
    db_bind_text(st, 4, f && f->country ? f->country : "");
    db_bind_text(st, 5, f && f->institution_type ? f->institution_type : "");
    /* The search ignores case and accents ("perez" finds "Pérez"): SQLite
     * cannot fold accents, so both sides are folded here, in C, with the
     * rule that compares names elsewhere. */
    char want[256] = "";
    if (f && f->search)
        name_normalise(f->search, want, sizeof want);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *title = json_object();
        if (db_col_text(st, 4))
            json_object_set_new(title, "es", json_string(db_col_text(st, 4)));
        if (db_col_text(st, 5))
            json_object_set_new(title, "en", json_string(db_col_text(st, 5)));
        json_t *o = json_pack(
            "{s:I, s:s, s:s, s:s, s:o, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
            " s:s, s:s?}",
            "id", (json_int_t)sqlite3_column_int64(st, 0), "status", db_col_text(st, 1),
            "status_at", db_col_text(st, 2), "course", db_col_text(st, 3), "course_title", title,
            "application_id", (json_int_t)sqlite3_column_int64(st, 6), "form_of_address",
            db_col_text(st, 7), "given_names", db_col_text(st, 8), "family_names",
            db_col_text(st, 9), "email", db_col_text(st, 10), "country", db_col_text(st, 11),
            "institution_type", db_col_text(st, 12), "institution", db_col_text(st, 13),
            "position", db_col_text(st, 14), "language", db_col_text(st, 15), "created_at",
            db_col_text(st, 16), "gender", db_col_text(st, 17), "phone", db_col_text(st, 18));
        if (!o)
            continue;
        /* What a colleague's change since the page was loaded alters. */
        json_object_set_new(o, "version", json_sprintf("%s@%s", db_col_text(st, 1),
                                                       db_col_text(st, 2)));
        static const char *const more[] = {"motivation", "city", "time_zone", "accessibility"};
        for (int k = 0; k < 4; k++)
            if (db_col_text(st, 19 + k))
                json_object_set_new(o, more[k], json_string(db_col_text(st, 19 + k)));
        if (sqlite3_column_type(st, 23) != SQLITE_NULL)
            json_object_set_new(o, "recording_consent", json_boolean(sqlite3_column_int(st, 23)));
        if (db_col_text(st, 24))
            json_object_set_new(o, "registered_at", json_string(db_col_text(st, 24)));
        if (*want) {
            char text[2048], hay[2048];
            snprintf(text, sizeof text, "%s %s %s %s %s", db_col_text(st, 8),
                     db_col_text(st, 9), db_col_text(st, 10), db_col_text(st, 13),
                     db_col_text(st, 14));
            name_normalise(text, hay, sizeof hay);
            if (!strstr(hay, want)) {
                json_decref(o);
                continue;
            }
        }
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}

json_t *course_counts(const char *edition_slug)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT c.slug, c.title_es, c.title_en, c.capacity,"
        " sum(en.status = 'submitted'), sum(en.status = 'accepted'), sum(en.status = 'waitlisted'),"
        " sum(en.status = 'rejected'), sum(en.status = 'registered'), sum(en.status = 'withdrawn')"
        " FROM course c JOIN edition e ON e.id = c.edition_id"
        " LEFT JOIN enrolment en ON en.course_id = c.id"
        " WHERE e.slug = ? GROUP BY c.id ORDER BY c.sort_order, c.id");
    if (!st)
        return arr;
    db_bind_text(st, 1, edition_slug);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *title = json_object();
        if (db_col_text(st, 1))
            json_object_set_new(title, "es", json_string(db_col_text(st, 1)));
        if (db_col_text(st, 2))
            json_object_set_new(title, "en", json_string(db_col_text(st, 2)));
        json_int_t accepted = sqlite3_column_int64(st, 5), registered = sqlite3_column_int64(st, 8);
        json_int_t capacity = sqlite3_column_int64(st, 3);
        json_array_append_new(arr, json_pack(
            "{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "slug", db_col_text(st, 0),
            "title", title, "capacity", capacity, "taken", accepted + registered, "submitted",
            (json_int_t)sqlite3_column_int64(st, 4), "accepted", accepted, "waitlisted",
            (json_int_t)sqlite3_column_int64(st, 6), "rejected",
            (json_int_t)sqlite3_column_int64(st, 7), "registered", registered, "withdrawn",
            (json_int_t)sqlite3_column_int64(st, 9), "full", accepted + registered >= capacity));
    }
    sqlite3_reset(st);
    return arr;
}

/* ---- decisions ---- */

struct enrolment_row {
    int64_t id, application_id, course_id;
    enrol_status status;
    int capacity, taken;
    char course[80];
    char version[80]; /* status@status_at */
};

static bool load_enrolment(int64_t id, struct enrolment_row *e)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT en.id, en.application_id, en.course_id, en.status, c.capacity, c.slug,"
        " (SELECT count(*) FROM enrolment x WHERE x.course_id = en.course_id"
        "  AND x.status IN ('accepted', 'registered')), en.status_at"
        " FROM enrolment en JOIN course c ON c.id = en.course_id WHERE en.id = ?");
    if (!st)
        return false;
    db_bind_int(st, 1, id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        e->id = sqlite3_column_int64(st, 0);
        e->application_id = sqlite3_column_int64(st, 1);
        e->course_id = sqlite3_column_int64(st, 2);
        e->status = enrol_status_parse(db_col_text(st, 3));
        e->capacity = sqlite3_column_int(st, 4);
        snprintf(e->course, sizeof e->course, "%s", db_col_text(st, 5));
        e->taken = sqlite3_column_int(st, 6);
        snprintf(e->version, sizeof e->version, "%s@%s", db_col_text(st, 3), db_col_text(st, 7));
    }
    sqlite3_reset(st);
    return found;
}

static bool set_status(int64_t id, enrol_status to)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt(
        "UPDATE enrolment SET status = ?, status_at = ?,"
        " waitlisted_at = CASE WHEN ? = 'waitlisted' THEN ? ELSE waitlisted_at END WHERE id = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, enrol_status_name(to));
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, enrol_status_name(to));
    db_bind_text(st, 4, now);
    db_bind_int(st, 5, id);
    if (!db_exec_stmt(st))
        return false;
    if (to == ENROL_REGISTERED)
        return true;
    /* Whoever is no longer registered (withdrawn, rejected, back on the
     * waiting list) loses the personal join link with the place; a new one
     * is made if they are registered again. */
    st = db_stmt("UPDATE join_link SET revoked_at = ? WHERE enrolment_id = ?"
                 " AND revoked_at IS NULL");
    if (!st)
        return false;
    db_bind_text(st, 1, now);
    db_bind_int(st, 2, id);
    return db_exec_stmt(st);
}

static bool audit_enrolment(const char *actor, const char *action, int64_t id, const char *detail)
{
    char subject[64];
    snprintf(subject, sizeof subject, "enrolment:%lld", (long long)id);
    return audit(actor, action, subject, detail);
}

/* A place was freed in course_id: the longest-waiting candidate takes it,
 * but not the one whose decision freed it (someone just moved from
 * accepted to the waiting list stays there).  The earliest stamps first,
 * so that a long list cannot hide its head past the 512 read. */
static bool promote_waiting(int64_t course_id, int64_t freed_by, message_fn msg, void *ud)
{
    struct enrolment_row dummy;
    sqlite3_stmt *st = db_stmt(
        "SELECT id, waitlisted_at FROM enrolment WHERE course_id = ? AND status = 'waitlisted'"
        " AND id <> ? ORDER BY waitlisted_at IS NULL, waitlisted_at, id");
    if (!st)
        return false;
    db_bind_int(st, 1, course_id);
    db_bind_int(st, 2, freed_by);
    int64_t ids[512];
    char stamps[512][32];
    const char *ptrs[512];
    size_t n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < 512) {
        ids[n] = sqlite3_column_int64(st, 0);
        snprintf(stamps[n], sizeof stamps[n], "%s",
                 db_col_text(st, 1) ? db_col_text(st, 1) : "9999");
        ptrs[n] = stamps[n];
        n++;
    }
    sqlite3_reset(st);
    if (!n)
        return true;
    if (!load_enrolment(ids[0], &dummy))
        return false;
    int pick = enrol_promote(ptrs, n, dummy.taken, dummy.capacity);
    if (pick < 0)
        return true;
    struct enrolment_row e;
    if (!load_enrolment(ids[pick], &e) || !set_status(e.id, ENROL_ACCEPTED))
        return false;
    /* From and to, as every other status change. */
    char detail[160];
    snprintf(detail, sizeof detail, "%s: %s -> %s", e.course, enrol_status_name(e.status),
             enrol_status_name(ENROL_ACCEPTED));
    if (!audit_enrolment("system", "enrolment.promoted", e.id, detail))
        return false;
    json_t *extra = json_pack("{s:s}", "course", e.course);
    bool ok = queue_message(msg, ud, "decision.promoted", e.application_id, extra);
    json_decref(extra);
    return ok;
}

static enum decision_outcome decide_locked(int64_t enrolment_id, enrol_status to,
                                           const char *actor, const char *note, message_fn msg,
                                           void *ud, bool notify, const char *expected)
{
    struct enrolment_row e;
    if (!load_enrolment(enrolment_id, &e))
        return DECISION_NOT_FOUND;
    /* Checked inside the transaction, so nothing can change in between. */
    if (expected && strcmp(expected, e.version) != 0)
        return DECISION_STALE;
    switch (enrol_decide(e.status, to, e.taken, e.capacity)) {
    case DECIDE_SAME: return DECISION_UNCHANGED;
    case DECIDE_FULL: return DECISION_FULL;
    case DECIDE_NOT_ALLOWED: return DECISION_NOT_ALLOWED;
    case DECIDE_OK: break;
    }
    if (!set_status(e.id, to))
        return DECISION_ERROR;
    char detail[160];
    snprintf(detail, sizeof detail, "%s: %s -> %s", e.course, enrol_status_name(e.status),
             enrol_status_name(to));
    char action[48];
    snprintf(action, sizeof action, "enrolment.%s", enrol_status_name(to));
    if (!audit_enrolment(actor, action, e.id, detail))
        return DECISION_ERROR;
    if (notify && (to == ENROL_ACCEPTED || to == ENROL_WAITLISTED || to == ENROL_REJECTED)) {
        char kind[48];
        snprintf(kind, sizeof kind, "decision.%s", enrol_status_name(to));
        json_t *extra = json_pack("{s:s, s:s?}", "course", e.course, "note",
                                  note && *note ? note : NULL);
        bool ok = queue_message(msg, ud, kind, e.application_id, extra);
        json_decref(extra);
        if (!ok)
            return DECISION_ERROR;
    }
    if (enrol_takes_place(e.status) && !enrol_takes_place(to) &&
        !promote_waiting(e.course_id, e.id, msg, ud))
        return DECISION_ERROR;
    return DECISION_DONE;
}

enum decision_outcome enrolment_decide(int64_t enrolment_id, enrol_status to, const char *actor,
                                       const char *note, message_fn msg, void *ud)
{
    return enrolment_decide_if(enrolment_id, to, actor, note, msg, ud, NULL);
}

enum decision_outcome enrolment_decide_if(int64_t enrolment_id, enrol_status to,
                                          const char *actor, const char *note, message_fn msg,
                                          void *ud, const char *expected)
{
    if (!db_begin())
        return DECISION_ERROR;
    enum decision_outcome r = decide_locked(enrolment_id, to, actor, note, msg, ud, true,
                                            expected);
    if (r != DECISION_DONE || !db_commit()) {
        db_rollback();
        return r == DECISION_DONE ? DECISION_ERROR : r;
    }
    return r;
}

/* One application's share of enrolments_decide: ids[k] for k in pick. */
static void decide_application(const int64_t *ids, const char *const *expected, const size_t *pick,
                               size_t np, enrol_status to, const char *actor, const char *note,
                               message_fn msg, void *ud, enum decision_outcome *outcomes,
                               int64_t application_id)
{
    for (size_t k = 0; k < np; k++)
        outcomes[pick[k]] = DECISION_ERROR;
    if (!db_begin())
        return;
    json_t *courses = json_array();
    bool failed = false;
    enum decision_outcome *got = calloc(np ? np : 1, sizeof *got);
    if (!got) {
        db_rollback();
        json_decref(courses);
        return;
    }
    for (size_t k = 0; k < np && !failed; k++) {
        struct enrolment_row e;
        /* Acceptances are told together below; other decisions, one by one. */
        got[k] = decide_locked(ids[pick[k]], to, actor, note, msg, ud, to != ENROL_ACCEPTED,
                               expected ? expected[pick[k]] : NULL);
        failed = got[k] == DECISION_ERROR;
        if (got[k] == DECISION_DONE && load_enrolment(ids[pick[k]], &e))
            json_array_append_new(courses, json_string(e.course));
    }
    if (!failed && json_array_size(courses) && to == ENROL_ACCEPTED) {
        const char *kind = "decision.accepted";
        json_t *extra = json_pack("{s:O, s:O, s:s?}", "course", json_array_get(courses, 0),
                                  "courses", courses, "note", note && *note ? note : NULL);
        failed = !queue_message(msg, ud, kind, application_id, extra);
        json_decref(extra);
    }
    json_decref(courses);
    if (failed || !db_commit()) {
        db_rollback();
        free(got);
        return;
    }
    for (size_t k = 0; k < np; k++)
        outcomes[pick[k]] = got[k];
    free(got);
}

void enrolments_decide(const int64_t *ids, const char *const *expected, size_t n, enrol_status to,
                       const char *actor, const char *note, message_fn msg, void *ud,
                       enum decision_outcome *outcomes)
{
    int64_t *apps = calloc(n ? n : 1, sizeof *apps);
    size_t *pick = calloc(n ? n : 1, sizeof *pick);
    bool *done = calloc(n ? n : 1, sizeof *done);
    if (!apps || !pick || !done) {
        for (size_t i = 0; i < n; i++)
            outcomes[i] = DECISION_ERROR;
        free(apps), free(pick), free(done);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        struct enrolment_row e;
        apps[i] = load_enrolment(ids[i], &e) ? e.application_id : 0;
        if (!apps[i]) {
            outcomes[i] = DECISION_NOT_FOUND;
            done[i] = true;
        }
    }
    /* Applications in the order their first enrolment was given. */
    for (size_t i = 0; i < n; i++) {
        if (done[i])
            continue;
        size_t np = 0;
        for (size_t j = i; j < n; j++)
            if (!done[j] && apps[j] == apps[i]) {
                pick[np++] = j;
                done[j] = true;
            }
        decide_application(ids, expected, pick, np, to, actor, note, msg, ud, outcomes, apps[i]);
    }
    free(apps), free(pick), free(done);
}

json_t *enrolment_ids_of_application(int64_t application_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt("SELECT id FROM enrolment WHERE application_id = ? ORDER BY id");
    if (!st)
        return arr;
    db_bind_int(st, 1, application_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_integer(sqlite3_column_int64(st, 0)));
    sqlite3_reset(st);
    return arr;
}

bool enrolment_edition(int64_t enrolment_id, char *slug, size_t n)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT e.slug FROM enrolment en JOIN course c ON c.id = en.course_id"
        " JOIN edition e ON e.id = c.edition_id WHERE en.id = ?");
    if (!st)
        return false;
    db_bind_int(st, 1, enrolment_id);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        snprintf(slug, n, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    return found;
}

bool registration_save(const struct registration_input *in, const char *actor, message_fn msg,
                       void *ud)
{
    if (!db_begin())
        return false;
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt(
        "UPDATE application SET city = ?, time_zone = ?, accessibility = ?, recording_consent = ?,"
        " registered_at = ? WHERE id = ?");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, in->city);
        db_bind_text(st, 2, in->time_zone);
        db_bind_text(st, 3, in->accessibility);
        db_bind_int(st, 4, in->recording_consent ? 1 : 0);
        db_bind_text(st, 5, now);
        db_bind_int(st, 6, in->application_id);
        ok = db_exec_stmt(st);
    }
    for (size_t i = 0; ok && i < in->nconfirm; i++) {
        enum decision_outcome r = decide_locked(in->confirm[i], ENROL_REGISTERED, actor, NULL,
                                                msg, ud, false, NULL);
        ok = r == DECISION_DONE || r == DECISION_UNCHANGED;
    }
    for (size_t i = 0; ok && i < in->ndecline; i++) {
        enum decision_outcome r = decide_locked(in->decline[i], ENROL_WITHDRAWN, actor, NULL,
                                                msg, ud, false, NULL);
        ok = r == DECISION_DONE || r == DECISION_UNCHANGED;
    }
    if (ok) {
        char subject[64];
        snprintf(subject, sizeof subject, "application:%lld", (long long)in->application_id);
        ok = audit(actor, "application.register", subject, NULL);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

/* ---- sign-in links ---- */

static void later(int seconds, char buf[32])
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool signin_token_create(int64_t account_id, const char *token_hash, const char *next,
                         int ttl_seconds, message_fn msg, void *ud, json_t *extra)
{
    char now[32], expires[32];
    db_now(now);
    later(ttl_seconds, expires);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO signin_token (token_hash, account_id, next_path, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?)");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, token_hash);
        db_bind_int(st, 2, account_id);
        db_bind_text(st, 3, next);
        db_bind_text(st, 4, now);
        db_bind_text(st, 5, expires);
        ok = db_exec_stmt(st) && queue_message(msg, ud, "signin.link", 0, extra);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

/* Looks a token up and, with consume, marks it used.  A link of a staff
 * account is refused (and, with consume, spent): staff sign in with their
 * password only, so a link read from a mailbox or the console is no way in. */
static enum signin_result signin_token_use(const char *token_hash, bool consume,
                                           int64_t *account_id, char *next, size_t nextlen)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return SIGNIN_UNKNOWN;
    enum signin_result r = SIGNIN_UNKNOWN;
    sqlite3_stmt *st = db_stmt("SELECT t.account_id, t.expires_at, t.used_at, t.next_path, a.role"
                               " FROM signin_token t JOIN account a ON a.id = t.account_id"
                               " WHERE t.token_hash = ?");
    if (st) {
        db_bind_text(st, 1, token_hash);
        if (sqlite3_step(st) == SQLITE_ROW) {
            *account_id = sqlite3_column_int64(st, 0);
            snprintf(next, nextlen, "%s", db_col_text(st, 3) ? db_col_text(st, 3) : "");
            if (db_col_text(st, 2))
                r = SIGNIN_USED;
            else if (!signin_link_live(db_col_text(st, 1), now))
                r = SIGNIN_EXPIRED;
            else if (!db_col_text(st, 4) || strcmp(db_col_text(st, 4), "participant") != 0)
                r = SIGNIN_STAFF;
            else
                r = SIGNIN_OK;
        }
        sqlite3_reset(st);
    }
    if (consume && (r == SIGNIN_OK || r == SIGNIN_STAFF)) {
        st = db_stmt("UPDATE signin_token SET used_at = ? WHERE token_hash = ? AND used_at IS NULL");
        if (st) {
            db_bind_text(st, 1, now);
            db_bind_text(st, 2, token_hash);
            if ((!db_exec_stmt(st) || sqlite3_changes(db_conn()) != 1) && r == SIGNIN_OK)
                r = SIGNIN_USED;
        }
    }
    if (!db_commit()) {
        db_rollback();
        return SIGNIN_UNKNOWN;
    }
    if (r != SIGNIN_OK)
        *account_id = 0;
    return r;
}

enum signin_result signin_token_consume(const char *token_hash, int64_t *account_id, char *next,
                                        size_t nextlen)
{
    return signin_token_use(token_hash, true, account_id, next, nextlen);
}

enum signin_result signin_token_peek(const char *token_hash, char *next, size_t nextlen)
{
    int64_t id = 0;
    return signin_token_use(token_hash, false, &id, next, nextlen);
}

bool signin_staff_notice(message_fn msg, void *ud, json_t *extra)
{
    return queue_message(msg, ud, "signin.staff", 0, extra);
}
