/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "programme_store.h"

#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/timeutil.h"
#include "db.h"
#include "evaluation_store.h"

/* ---- bilingual columns ---- */

static const char *lang_of(json_t *text, const char *lang)
{
    return json_string_value(json_object_get(text, lang));
}

/* Binds a text object as two parameters: Spanish at idx, English at idx+1. */
static void bind_text2(sqlite3_stmt *st, int idx, json_t *text)
{
    db_bind_text(st, idx, lang_of(text, "es"));
    db_bind_text(st, idx + 1, lang_of(text, "en"));
}

/* Columns col and col+1 as a text object, or JSON null when both are NULL. */
static json_t *text2(sqlite3_stmt *st, int col)
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

static json_t *str_or_null(sqlite3_stmt *st, int col)
{
    const char *s = db_col_text(st, col);
    return s ? json_string(s) : json_null();
}

static const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* ---- saving ---- */

static int64_t insert_returning_id(sqlite3_stmt *st)
{
    int64_t id = 0;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    if (st)
        sqlite3_reset(st);
    return id;
}

static int64_t person_id(json_t *people_ids, const char *slug)
{
    return json_integer_value(json_object_get(people_ids, slug));
}

/* What fills a parameter of a child row, from the element of the array. */
enum child_kind {
    CH_ORDER,  /* the element's position: its sort_order */
    CH_STR,    /* the element's key as text (key NULL: the element itself) */
    CH_TEXT2,  /* the element's key as a text object: two parameters, es and en */
    CH_PERSON, /* the id of the person the element names (as CH_STR) */
};
struct child_col {
    enum child_kind kind;
    const char *key;
};
enum child_result { CHILD_OK, CHILD_NO_STMT, CHILD_REFUSED };

/* Inserts one row per element of arr with sql, whose first parameter is
 * the parent's id and the next ones are cols in order.  CHILD_REFUSED: a
 * row broke a constraint (or the database failed while writing it). */
static enum child_result insert_children(const char *sql, int64_t parent, json_t *arr,
                                         const struct child_col *cols, size_t ncols,
                                         json_t *people_ids)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) {
        sqlite3_stmt *st = db_stmt(sql);
        if (!st)
            return CHILD_NO_STMT;
        db_bind_int(st, 1, parent);
        int p = 2;
        for (size_t k = 0; k < ncols; k++) {
            json_t *v = cols[k].key ? json_object_get(x, cols[k].key) : x;
            switch (cols[k].kind) {
            case CH_ORDER: db_bind_int(st, p++, (int64_t)i); break;
            case CH_STR: db_bind_text(st, p++, json_string_value(v)); break;
            case CH_TEXT2: bind_text2(st, p, v), p += 2; break;
            case CH_PERSON: db_bind_int(st, p++, person_id(people_ids, json_string_value(v))); break;
            }
        }
        if (!db_exec_stmt(st))
            return CHILD_REFUSED;
    }
    return CHILD_OK;
}

#define CHILDREN(sql, parent, arr, people_ids, ...)                                              \
    insert_children(sql, parent, arr, (const struct child_col[]){__VA_ARGS__},                 \
                    sizeof((const struct child_col[]){__VA_ARGS__}) / sizeof(struct child_col),  \
                    people_ids)

static bool save_sessions(int64_t block_id, json_t *sessions, json_t *people_ids)
{
    size_t i;
    json_t *s;
    json_array_foreach(sessions, i, s) {
        sqlite3_stmt *st = db_stmt(
            "INSERT INTO programme_session (block_id, sort_order, number, kind, title_es, title_en)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
        if (!st)
            return false;
        db_bind_int(st, 1, block_id);
        db_bind_int(st, 2, (int64_t)i);
        json_t *num = json_object_get(s, "number");
        if (json_is_integer(num))
            db_bind_int(st, 3, json_integer_value(num));
        db_bind_text(st, 4, jstr(s, "kind"));
        bind_text2(st, 5, json_object_get(s, "title"));
        int64_t sid = insert_returning_id(st);
        if (!sid)
            return false;
        if (CHILDREN("INSERT INTO topic (session_id, sort_order, text_es, text_en)"
                     " VALUES (?, ?, ?, ?)", sid, json_object_get(s, "topics"), NULL,
                     {CH_ORDER, NULL}, {CH_TEXT2, NULL}) != CHILD_OK ||
            CHILDREN("INSERT INTO session_person (session_id, person_id, sort_order, role)"
                     " VALUES (?, ?, ?, ?)", sid, json_object_get(s, "people"), people_ids,
                     {CH_PERSON, "person"}, {CH_ORDER, NULL}, {CH_STR, "role"}) != CHILD_OK)
            return false;
    }
    return true;
}

bool programme_block_utc(const char *tz, const char *date, const char *hhmm, char out[32])
{
    int y, m, d, h, mi;
    time_t t;
    if (!parse_date(date, &y, &m, &d) || !parse_hhmm(hhmm, &h, &mi) ||
        !local_to_utc(tz, y, m, d, h, mi, &t))
        return false;
    format_utc_iso(t, out, 32);
    return true;
}

static bool save_course(int64_t edition_id, size_t pos, json_t *c, const char *tz,
                        json_t *people_ids, char *err, size_t errlen)
{
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO course (edition_id, sort_order, slug, title_es, title_en, summary_es,"
        " summary_en, hours, capacity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st)
        return false;
    db_bind_int(st, 1, edition_id);
    db_bind_int(st, 2, (int64_t)pos);
    db_bind_text(st, 3, jstr(c, "slug"));
    bind_text2(st, 4, json_object_get(c, "title"));
    bind_text2(st, 6, json_object_get(c, "summary"));
    db_bind_int(st, 8, json_integer_value(json_object_get(c, "hours")));
    db_bind_int(st, 9, json_integer_value(json_object_get(c, "capacity")));
    int64_t cid = insert_returning_id(st);
    if (!cid)
        return false;
    size_t i, j;
    json_t *x, *b;
    enum child_result r = CHILDREN(
        "INSERT INTO course_trainer (course_id, person_id, sort_order) VALUES (?, ?, ?)", cid,
        json_object_get(c, "trainers"), people_ids, {CH_PERSON, NULL}, {CH_ORDER, NULL});
    if (r == CHILD_REFUSED)
        snprintf(err, errlen, "course %s lists a trainer twice", jstr(c, "slug"));
    if (r != CHILD_OK)
        return false;
    json_array_foreach(json_object_get(c, "days"), i, x) {
        st = db_stmt("INSERT INTO course_day (course_id, sort_order, day) VALUES (?, ?, ?)"
                     " RETURNING id");
        if (!st)
            return false;
        db_bind_int(st, 1, cid);
        db_bind_int(st, 2, (int64_t)i);
        db_bind_text(st, 3, jstr(x, "date"));
        int64_t did = insert_returning_id(st);
        if (!did) {
            snprintf(err, errlen, "course %s has the day %s twice", jstr(c, "slug"), jstr(x, "date"));
            return false;
        }
        json_array_foreach(json_object_get(x, "blocks"), j, b) {
            char su[32], eu[32];
            if (!programme_block_utc(tz, jstr(x, "date"), jstr(b, "start"), su) ||
                !programme_block_utc(tz, jstr(x, "date"), jstr(b, "end"), eu)) {
                snprintf(err, errlen, "cannot convert %s %s to UTC in %s", jstr(x, "date"),
                         jstr(b, "start"), tz);
                return false;
            }
            st = db_stmt("INSERT INTO time_block (day_id, sort_order, start_local, end_local,"
                         " start_utc, end_utc) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
            if (!st)
                return false;
            db_bind_int(st, 1, did);
            db_bind_int(st, 2, (int64_t)j);
            db_bind_text(st, 3, jstr(b, "start"));
            db_bind_text(st, 4, jstr(b, "end"));
            db_bind_text(st, 5, su);
            db_bind_text(st, 6, eu);
            int64_t bid = insert_returning_id(st);
            if (!bid || !save_sessions(bid, json_object_get(b, "sessions"), people_ids))
                return false;
        }
    }
    return true;
}

static bool save_edition(int64_t org_id, json_t *e, char *err, size_t errlen)
{
    /* Re-importing replaces the programme; once people have applied, their
     * applications hang on its courses, so changes go through the console. */
    sqlite3_stmt *st = db_stmt("SELECT count(*) FROM application a JOIN edition e"
                               " ON e.id = a.edition_id WHERE e.slug = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, jstr(e, "slug"));
    int64_t applications = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (applications) {
        snprintf(err, errlen, "edition %s already has %lld application(s); change it in the"
                 " console instead of importing it again", jstr(e, "slug"), (long long)applications);
        return false;
    }
    st = db_stmt("DELETE FROM edition WHERE slug = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, jstr(e, "slug"));
    if (!db_exec_stmt(st))
        return false;

    json_t *contact = json_object_get(e, "contact");
    char langs[16];
    json_t *l0 = json_array_get(json_object_get(e, "languages"), 0);
    json_t *l1 = json_array_get(json_object_get(e, "languages"), 1);
    snprintf(langs, sizeof langs, "%s%s%s", l0 ? json_string_value(l0) : "", l1 ? "," : "",
             l1 ? json_string_value(l1) : "");
    st = db_stmt(
        "INSERT INTO edition (organisation_id, slug, title_es, title_en, subtitle_es, subtitle_en,"
        " time_zone, starts_on, ends_on, applications_open, applications_close, languages,"
        " status, platform, introduction_es, introduction_en, justification_es, justification_en,"
        " audience_es, audience_en, contact_name, contact_position_es, contact_position_en,"
        " contact_organisation_es, contact_organisation_en, contact_email)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id");
    if (!st)
        return false;
    db_bind_int(st, 1, org_id);
    db_bind_text(st, 2, jstr(e, "slug"));
    bind_text2(st, 3, json_object_get(e, "title"));
    bind_text2(st, 5, json_object_get(e, "subtitle"));
    db_bind_text(st, 7, jstr(e, "time_zone"));
    db_bind_text(st, 8, jstr(e, "starts_on"));
    db_bind_text(st, 9, jstr(e, "ends_on"));
    db_bind_text(st, 10, jstr(e, "applications_open"));
    db_bind_text(st, 11, jstr(e, "applications_close"));
    db_bind_text(st, 12, langs);
    db_bind_text(st, 13, jstr(e, "status"));
    db_bind_text(st, 14, jstr(e, "platform"));
    bind_text2(st, 15, json_object_get(e, "introduction"));
    bind_text2(st, 17, json_object_get(e, "justification"));
    bind_text2(st, 19, json_object_get(e, "audience"));
    db_bind_text(st, 21, jstr(contact, "name"));
    bind_text2(st, 22, json_object_get(contact, "position"));
    bind_text2(st, 24, json_object_get(contact, "organisation"));
    db_bind_text(st, 26, jstr(contact, "email"));
    int64_t eid = insert_returning_id(st);
    if (!eid)
        return false;

    size_t i;
    json_t *x;
    if (CHILDREN("INSERT INTO contact_phone (edition_id, sort_order, phone) VALUES (?, ?, ?)",
                 eid, json_object_get(contact, "phones"), NULL,
                 {CH_ORDER, NULL}, {CH_STR, NULL}) != CHILD_OK ||
        CHILDREN("INSERT INTO objective (edition_id, sort_order, text_es, text_en)"
                 " VALUES (?, ?, ?, ?)", eid, json_object_get(e, "objectives"), NULL,
                 {CH_ORDER, NULL}, {CH_TEXT2, NULL}) != CHILD_OK ||
        CHILDREN("INSERT INTO practical_item (edition_id, sort_order, item_key, label_es,"
                 " label_en, body_es, body_en) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 eid, json_object_get(e, "practical"), NULL,
                 {CH_ORDER, NULL}, {CH_STR, "key"}, {CH_TEXT2, "label"},
                 {CH_TEXT2, "body"}) != CHILD_OK)
        return false;
    json_t *people_ids = json_object();
    json_array_foreach(json_object_get(e, "people"), i, x) {
        st = db_stmt("INSERT INTO person (edition_id, sort_order, slug, name, honorific_es,"
                     " honorific_en, position_es, position_en, bio_es, bio_en)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        if (!st)
            return false;
        db_bind_int(st, 1, eid);
        db_bind_int(st, 2, (int64_t)i);
        db_bind_text(st, 3, jstr(x, "slug"));
        db_bind_text(st, 4, jstr(x, "name"));
        bind_text2(st, 5, json_object_get(x, "honorific"));
        bind_text2(st, 7, json_object_get(x, "position"));
        bind_text2(st, 9, json_object_get(x, "bio"));
        int64_t pid = insert_returning_id(st);
        if (!pid) {
            json_decref(people_ids);
            return false;
        }
        json_object_set_new(people_ids, jstr(x, "slug"), json_integer(pid));
    }
    bool ok =
        CHILDREN("INSERT INTO institution (edition_id, sort_order, slug, name_es, name_en,"
                 " short_name, role, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 eid, json_object_get(e, "institutions"), NULL,
                 {CH_ORDER, NULL}, {CH_STR, "slug"}, {CH_TEXT2, "name"}, {CH_STR, "short_name"},
                 {CH_STR, "role"}, {CH_STR, "url"}) == CHILD_OK &&
        CHILDREN("INSERT INTO signatory (edition_id, sort_order, name, title_es, title_en)"
                 " VALUES (?, ?, ?, ?, ?)", eid, json_object_get(e, "signatories"), NULL,
                 {CH_ORDER, NULL}, {CH_STR, "name"}, {CH_TEXT2, "title"}) == CHILD_OK;
    if (!ok) {
        json_decref(people_ids);
        return false;
    }
    json_array_foreach(json_object_get(e, "courses"), i, x) {
        if (!(ok = save_course(eid, i, x, jstr(e, "time_zone"), people_ids, err, errlen)))
            break;
    }
    if (ok && !evaluation_create_for_edition(eid, json_object_get(e, "courses"))) {
        snprintf(err, errlen, "cannot create the evaluations: %s", db_errmsg());
        ok = false;
    }
    json_t *ev = json_object_get(e, "evaluation");
    if (ok && ev && !evaluation_import_edition_wide(eid, ev)) {
        snprintf(err, errlen, "cannot create the edition's evaluation: %s", db_errmsg());
        ok = false;
    }
    json_decref(people_ids);
    return ok;
}

bool programme_save(json_t *p, char *err, size_t errlen)
{
    err[0] = '\0';
    if (!db_begin()) {
        snprintf(err, errlen, "the database is busy or unavailable: %s", db_errmsg());
        return false;
    }
    json_t *org = json_object_get(p, "organisation");
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO organisation (slug, name_es, name_en, short_name, website)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET name_es = excluded.name_es,"
        " name_en = excluded.name_en, short_name = excluded.short_name,"
        " website = excluded.website RETURNING id");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, jstr(org, "slug"));
        bind_text2(st, 2, json_object_get(org, "name"));
        db_bind_text(st, 4, jstr(org, "short_name"));
        db_bind_text(st, 5, jstr(org, "website"));
        int64_t org_id = insert_returning_id(st);
        ok = org_id && save_edition(org_id, json_object_get(p, "edition"), err, errlen);
    }
    if (!ok || !db_commit()) {
        if (!err[0])
            snprintf(err, errlen, "cannot store the programme: %s", db_errmsg());
        db_rollback();
        return false;
    }
    return true;
}

/* ---- loading ---- */

static void maybe_id(json_t *o, bool derived, sqlite3_stmt *st, int col)
{
    if (derived)
        json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, col)));
}

/* People of the edition by id, for resolving references. */
static json_t *load_people(int64_t eid, bool derived, json_t *by_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT id, slug, name, honorific_es, honorific_en, position_es, position_en, bio_es,"
        " bio_en FROM person WHERE edition_id = ? ORDER BY sort_order, id");
    if (!st)
        return arr;
    db_bind_int(st, 1, eid);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        maybe_id(o, derived, st, 0);
        json_object_set_new(o, "slug", json_string(db_col_text(st, 1)));
        json_object_set_new(o, "name", json_string(db_col_text(st, 2)));
        json_object_set_new(o, "honorific", text2(st, 3));
        json_object_set_new(o, "position", text2(st, 5));
        json_object_set_new(o, "bio", text2(st, 7));
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(st, 0));
        json_object_set_new(by_id, key, json_string(db_col_text(st, 1)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}

static const char *slug_of(json_t *by_id, int64_t id)
{
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    return json_string_value(json_object_get(by_id, key));
}

static json_t *load_sessions(int64_t block_id, bool derived, json_t *by_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT id, number, kind, title_es, title_en FROM programme_session WHERE block_id = ?"
        " ORDER BY sort_order, id");
    if (!st)
        return arr;
    db_bind_int(st, 1, block_id);
    /* Statements are shared per connection: collect ids first, then read
     * each session's children with other statements. */
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        maybe_id(o, derived, st, 0);
        json_object_set_new(o, "number", sqlite3_column_type(st, 1) == SQLITE_NULL
                                             ? json_null()
                                             : json_integer(sqlite3_column_int64(st, 1)));
        json_object_set_new(o, "kind", json_string(db_col_text(st, 2)));
        json_object_set_new(o, "title", text2(st, 3));
        json_object_set_new(o, "_sid", json_integer(sqlite3_column_int64(st, 0)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        int64_t sid = json_integer_value(json_object_get(o, "_sid"));
        json_object_del(o, "_sid");
        json_t *topics = json_array(), *items = derived ? json_array() : NULL;
        st = db_stmt("SELECT id, text_es, text_en FROM topic WHERE session_id = ?"
                     " ORDER BY sort_order, id");
        if (st) {
            db_bind_int(st, 1, sid);
            while (sqlite3_step(st) == SQLITE_ROW) {
                json_array_append_new(topics, text2(st, 1));
                /* The console needs each topic's id to edit it. */
                if (items)
                    json_array_append_new(items, json_pack("{s:I, s:o}", "id",
                        (json_int_t)sqlite3_column_int64(st, 0), "text", text2(st, 1)));
            }
            sqlite3_reset(st);
        }
        json_object_set_new(o, "topics", topics);
        if (items)
            json_object_set_new(o, "topic_items", items);
        json_t *people = json_array();
        st = db_stmt("SELECT person_id, role FROM session_person WHERE session_id = ?"
                     " ORDER BY sort_order");
        if (st) {
            db_bind_int(st, 1, sid);
            while (sqlite3_step(st) == SQLITE_ROW) {
                json_t *p = json_object();
                json_object_set_new(p, "person",
                                    json_string(slug_of(by_id, sqlite3_column_int64(st, 0))));
                json_object_set_new(p, "role", json_string(db_col_text(st, 1)));
                if (derived)
                    json_object_set_new(p, "person_id", json_integer(sqlite3_column_int64(st, 0)));
                json_array_append_new(people, p);
            }
            sqlite3_reset(st);
        }
        json_object_set_new(o, "people", people);
    }
    return arr;
}

static json_t *load_days(int64_t course_id, bool derived, json_t *by_id)
{
    json_t *days = json_array();
    sqlite3_stmt *st = db_stmt("SELECT id, day FROM course_day WHERE course_id = ?"
                               " ORDER BY day, sort_order");
    if (!st)
        return days;
    db_bind_int(st, 1, course_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *d = json_object();
        maybe_id(d, derived, st, 0);
        json_object_set_new(d, "date", json_string(db_col_text(st, 1)));
        json_object_set_new(d, "_id", json_integer(sqlite3_column_int64(st, 0)));
        json_array_append_new(days, d);
    }
    sqlite3_reset(st);
    size_t i, j;
    json_t *d, *b;
    json_array_foreach(days, i, d) {
        int64_t did = json_integer_value(json_object_get(d, "_id"));
        json_object_del(d, "_id");
        json_t *blocks = json_array();
        st = db_stmt("SELECT id, start_local, end_local, start_utc, end_utc FROM time_block"
                     " WHERE day_id = ? ORDER BY start_local, sort_order");
        if (st) {
            db_bind_int(st, 1, did);
            while (sqlite3_step(st) == SQLITE_ROW) {
                b = json_object();
                maybe_id(b, derived, st, 0);
                json_object_set_new(b, "start", json_string(db_col_text(st, 1)));
                json_object_set_new(b, "end", json_string(db_col_text(st, 2)));
                if (derived) {
                    json_object_set_new(b, "start_utc", json_string(db_col_text(st, 3)));
                    json_object_set_new(b, "end_utc", json_string(db_col_text(st, 4)));
                }
                json_object_set_new(b, "_id", json_integer(sqlite3_column_int64(st, 0)));
                json_array_append_new(blocks, b);
            }
            sqlite3_reset(st);
        }
        json_array_foreach(blocks, j, b) {
            int64_t bid = json_integer_value(json_object_get(b, "_id"));
            json_object_del(b, "_id");
            json_object_set_new(b, "sessions", load_sessions(bid, derived, by_id));
        }
        json_object_set_new(d, "blocks", blocks);
    }
    return days;
}

static json_t *load_courses(int64_t eid, bool derived, json_t *by_id)
{
    json_t *courses = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT id, slug, title_es, title_en, summary_es, summary_en, hours, capacity"
        " FROM course WHERE edition_id = ? ORDER BY sort_order, id");
    if (!st)
        return courses;
    db_bind_int(st, 1, eid);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *c = json_object();
        maybe_id(c, derived, st, 0);
        json_object_set_new(c, "slug", json_string(db_col_text(st, 1)));
        json_object_set_new(c, "title", text2(st, 2));
        json_object_set_new(c, "summary", text2(st, 4));
        json_object_set_new(c, "hours", json_integer(sqlite3_column_int64(st, 6)));
        json_object_set_new(c, "capacity", json_integer(sqlite3_column_int64(st, 7)));
        json_object_set_new(c, "_id", json_integer(sqlite3_column_int64(st, 0)));
        json_array_append_new(courses, c);
    }
    sqlite3_reset(st);
    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        int64_t cid = json_integer_value(json_object_get(c, "_id"));
        json_object_del(c, "_id");
        json_t *trainers = json_array();
        st = db_stmt("SELECT person_id FROM course_trainer WHERE course_id = ? ORDER BY sort_order");
        if (st) {
            db_bind_int(st, 1, cid);
            while (sqlite3_step(st) == SQLITE_ROW) {
                json_array_append_new(trainers,
                                      json_string(slug_of(by_id, sqlite3_column_int64(st, 0))));
                /* The console needs ids to remove a trainer. */
                if (derived) {
                    json_t *items = json_object_get(c, "trainer_items");
                    if (!items)
                        json_object_set_new(c, "trainer_items", items = json_array());
                    json_array_append_new(items, json_pack("{s:I, s:s}", "person_id",
                        (json_int_t)sqlite3_column_int64(st, 0), "slug",
                        slug_of(by_id, sqlite3_column_int64(st, 0))));
                }
            }
            sqlite3_reset(st);
        }
        json_object_set_new(c, "trainers", trainers);
        json_object_set_new(c, "days", load_days(cid, derived, by_id));
    }
    return courses;
}

static json_t *texts(const char *sql, int64_t eid)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return arr;
    db_bind_int(st, 1, eid);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, text2(st, 0));
    sqlite3_reset(st);
    return arr;
}

json_t *programme_load(const char *slug, bool derived)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT e.id, o.slug, o.name_es, o.name_en, o.short_name, o.website, e.slug, e.title_es,"
        " e.title_en, e.subtitle_es, e.subtitle_en, e.time_zone, e.starts_on, e.ends_on,"
        " e.applications_open, e.applications_close, e.languages, e.status, e.platform,"
        " e.introduction_es, e.introduction_en, e.justification_es, e.justification_en,"
        " e.audience_es, e.audience_en, e.contact_name, e.contact_position_es,"
        " e.contact_position_en, e.contact_organisation_es, e.contact_organisation_en,"
        " e.contact_email FROM edition e JOIN organisation o ON o.id = e.organisation_id"
        " WHERE e.slug = ?");
    if (!st)
        return NULL;
    db_bind_text(st, 1, slug);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    int64_t eid = sqlite3_column_int64(st, 0);
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string("aula-programme/1"));
    json_t *org = json_object();
    json_object_set_new(org, "slug", json_string(db_col_text(st, 1)));
    json_object_set_new(org, "name", text2(st, 2));
    json_object_set_new(org, "short_name", str_or_null(st, 4));
    json_object_set_new(org, "website", str_or_null(st, 5));
    json_object_set_new(root, "organisation", org);

    json_t *e = json_object();
    maybe_id(e, derived, st, 0);
    json_object_set_new(e, "slug", json_string(db_col_text(st, 6)));
    json_object_set_new(e, "title", text2(st, 7));
    json_object_set_new(e, "subtitle", text2(st, 9));
    json_object_set_new(e, "time_zone", json_string(db_col_text(st, 11)));
    json_object_set_new(e, "starts_on", json_string(db_col_text(st, 12)));
    json_object_set_new(e, "ends_on", json_string(db_col_text(st, 13)));
    json_object_set_new(e, "applications_open", str_or_null(st, 14));
    json_object_set_new(e, "applications_close", str_or_null(st, 15));
    json_t *langs = json_array();
    char lbuf[16];
    snprintf(lbuf, sizeof lbuf, "%s", db_col_text(st, 16) ? db_col_text(st, 16) : "");
    char *save = NULL;
    for (char *tok = strtok_r(lbuf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        json_array_append_new(langs, json_string(tok));
    json_object_set_new(e, "languages", langs);
    json_object_set_new(e, "status", json_string(db_col_text(st, 17)));
    json_object_set_new(e, "platform", str_or_null(st, 18));
    json_object_set_new(e, "introduction", text2(st, 19));
    json_object_set_new(e, "justification", text2(st, 21));
    json_object_set_new(e, "audience", text2(st, 23));
    json_t *contact = NULL;
    if (db_col_text(st, 25)) {
        contact = json_object();
        json_object_set_new(contact, "name", json_string(db_col_text(st, 25)));
        json_object_set_new(contact, "position", text2(st, 26));
        json_object_set_new(contact, "organisation", text2(st, 28));
        json_object_set_new(contact, "phones", json_array());
        json_object_set_new(contact, "email", str_or_null(st, 30));
    }
    sqlite3_reset(st);

    json_object_set_new(e, "objectives", texts("SELECT text_es, text_en FROM objective"
                                               " WHERE edition_id = ? ORDER BY sort_order, id",
                                               eid));
    json_t *practical = json_array();
    st = db_stmt("SELECT id, item_key, label_es, label_en, body_es, body_en FROM practical_item"
                 " WHERE edition_id = ? ORDER BY sort_order, id");
    if (st) {
        db_bind_int(st, 1, eid);
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_t *o = json_object();
            maybe_id(o, derived, st, 0);
            json_object_set_new(o, "key", json_string(db_col_text(st, 1)));
            json_object_set_new(o, "label", text2(st, 2));
            json_object_set_new(o, "body", text2(st, 4));
            json_array_append_new(practical, o);
        }
        sqlite3_reset(st);
    }
    json_object_set_new(e, "practical", practical);
    if (contact) {
        st = db_stmt("SELECT phone FROM contact_phone WHERE edition_id = ? ORDER BY sort_order, id");
        if (st) {
            db_bind_int(st, 1, eid);
            while (sqlite3_step(st) == SQLITE_ROW)
                json_array_append_new(json_object_get(contact, "phones"),
                                      json_string(db_col_text(st, 0)));
            sqlite3_reset(st);
        }
        json_object_set_new(e, "contact", contact);
    } else {
        json_object_set_new(e, "contact", json_null());
    }
    json_t *by_id = json_object();
    json_object_set_new(e, "people", load_people(eid, derived, by_id));
    json_t *inst = json_array();
    st = db_stmt("SELECT id, slug, name_es, name_en, short_name, role, url FROM institution"
                 " WHERE edition_id = ? ORDER BY sort_order, id");
    if (st) {
        db_bind_int(st, 1, eid);
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_t *o = json_object();
            maybe_id(o, derived, st, 0);
            json_object_set_new(o, "slug", json_string(db_col_text(st, 1)));
            json_object_set_new(o, "name", text2(st, 2));
            json_object_set_new(o, "short_name", str_or_null(st, 4));
            json_object_set_new(o, "role", json_string(db_col_text(st, 5)));
            json_object_set_new(o, "url", str_or_null(st, 6));
            json_array_append_new(inst, o);
        }
        sqlite3_reset(st);
    }
    json_object_set_new(e, "institutions", inst);
    /* Signatories are written only when there are some, so a file without
     * them exports as it was imported. */
    json_t *signers = json_array();
    st = db_stmt("SELECT name, title_es, title_en, id FROM signatory WHERE edition_id = ?"
                 " ORDER BY sort_order, id");
    if (st) {
        db_bind_int(st, 1, eid);
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_t *o = json_pack("{s:s, s:o}", "name", db_col_text(st, 0), "title", text2(st, 1));
            if (derived)
                json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 3)));
            json_array_append_new(signers, o);
        }
        sqlite3_reset(st);
    }
    if (json_array_size(signers))
        json_object_set_new(e, "signatories", signers);
    else
        json_decref(signers);
    json_object_set_new(e, "courses", load_courses(eid, derived, by_id));
    json_decref(by_id);
    json_object_set_new(root, "edition", e);
    /* Built in an arena that ran out, the tree may lack any of its fields;
     * rather than every caller checking each one, there is no tree (the
     * request is answered with a 503). */
    arena *a = arena_current();
    if (a && arena_exhausted(a))
        return NULL;
    return root;
}

json_t *edition_list(bool all)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT slug, title_es, title_en, starts_on, ends_on, time_zone, status FROM edition"
        " WHERE status = 'published' OR ? ORDER BY starts_on DESC, id DESC");
    if (!st)
        return arr;
    db_bind_int(st, 1, all ? 1 : 0);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "slug", json_string(db_col_text(st, 0)));
        json_object_set_new(o, "title", text2(st, 1));
        json_object_set_new(o, "starts_on", json_string(db_col_text(st, 3)));
        json_object_set_new(o, "ends_on", json_string(db_col_text(st, 4)));
        json_object_set_new(o, "time_zone", json_string(db_col_text(st, 5)));
        json_object_set_new(o, "status", json_string(db_col_text(st, 6)));
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}

json_t *site_organisation(void)
{
    sqlite3_stmt *st = db_stmt("SELECT name_es, name_en, short_name FROM organisation ORDER BY id LIMIT 1");
    if (!st)
        return NULL;
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        o = json_pack("{s:o, s:o}", "name", text2(st, 0), "short_name", str_or_null(st, 2));
    sqlite3_reset(st);
    return o;
}
