/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "entity_store.h"

#include <stdio.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../base/timeutil.h"
#include "db.h"

bool programme_block_utc(const char *tz, const char *date, const char *hhmm, char out[32]);

/* Statements built here differ by entity; they are prepared for the one
 * call and finalised, as the console writes rarely. */
static sqlite3_stmt *prepare(const char *sql)
{
    sqlite3 *db = db_conn();
    sqlite3_stmt *st = NULL;
    if (!db || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    return st;
}

static json_t *row_object(sqlite3_stmt *st)
{
    json_t *o = json_object();
    int n = sqlite3_column_count(st);
    for (int i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_INTEGER:
            json_object_set_new(o, name, json_integer(sqlite3_column_int64(st, i)));
            break;
        case SQLITE_NULL:
            json_object_set_new(o, name, json_null());
            break;
        default:
            json_object_set_new(o, name, json_string(db_col_text(st, i)));
        }
    }
    return o;
}

static void select_list(strbuf *sb, const struct entity_def *d)
{
    sb_puts(sb, "SELECT id");
    if (d->parent_col)
        sb_printf(sb, ", %s AS parent_id", d->parent_col);
    for (const char *const *c = d->columns; *c; c++)
        sb_printf(sb, ", %s", *c);
    sb_printf(sb, " FROM %s", d->table);
}

json_t *entity_load(const struct entity_def *d, int64_t id)
{
    strbuf sql;
    sb_init(&sql, NULL);
    select_list(&sql, d);
    sb_puts(&sql, " WHERE id = ?");
    sqlite3_stmt *st = prepare(sb_str(&sql));
    sb_release(&sql);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? row_object(st) : NULL;
    sqlite3_finalize(st);
    return o;
}

json_t *entity_children(const struct entity_def *d, int64_t parent_id)
{
    json_t *arr = json_array();
    strbuf sql;
    sb_init(&sql, NULL);
    select_list(&sql, d);
    if (d->parent_col)
        sb_printf(&sql, " WHERE %s = ?", d->parent_col);
    sb_puts(&sql, " ORDER BY sort_order, id");
    sqlite3_stmt *st = prepare(sb_str(&sql));
    sb_release(&sql);
    if (!st)
        return arr;
    if (d->parent_col)
        sqlite3_bind_int64(st, 1, parent_id);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, row_object(st));
    sqlite3_finalize(st);
    return arr;
}

static enum entity_result result_of(int rc)
{
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return ENTITY_OK;
    if (rc == SQLITE_CONSTRAINT)
        return ENTITY_CONFLICT;
    return ENTITY_ERROR;
}

/* Block times in UTC follow from the day's date, the block's local times
 * and the edition's zone; any of those may have changed. */
static bool refresh_block_times(void)
{
    sqlite3_stmt *st = prepare(
        "SELECT b.id, d.day, b.start_local, b.end_local, e.time_zone FROM time_block b"
        " JOIN course_day d ON d.id = b.day_id JOIN course c ON c.id = d.course_id"
        " JOIN edition e ON e.id = c.edition_id");
    sqlite3_stmt *up = prepare("UPDATE time_block SET start_utc = ?, end_utc = ? WHERE id = ?");
    bool ok = st && up;
    while (ok && sqlite3_step(st) == SQLITE_ROW) {
        char su[32], eu[32];
        if (!programme_block_utc(db_col_text(st, 4), db_col_text(st, 1), db_col_text(st, 2), su) ||
            !programme_block_utc(db_col_text(st, 4), db_col_text(st, 1), db_col_text(st, 3), eu)) {
            ok = false;
            break;
        }
        sqlite3_bind_text(up, 1, su, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(up, 2, eu, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(up, 3, sqlite3_column_int64(st, 0));
        ok = sqlite3_step(up) == SQLITE_DONE;
        sqlite3_reset(up);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    return ok;
}

static bool affects_times(const struct entity_def *d)
{
    return strcmp(d->table, "edition") == 0 || strcmp(d->table, "course_day") == 0 ||
           strcmp(d->table, "time_block") == 0;
}

/* Runs st inside a transaction, then refreshes derived times when needed. */
static enum entity_result run_write(const struct entity_def *d, sqlite3_stmt *st, int64_t *id)
{
    if (!st)
        return ENTITY_ERROR;
    if (!db_begin()) {
        sqlite3_finalize(st);
        return ENTITY_ERROR;
    }
    int rc = sqlite3_step(st);
    if (id && rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    enum entity_result r = result_of(rc);
    int changes = sqlite3_changes(db_conn());
    sqlite3_finalize(st);
    if (r == ENTITY_OK && changes == 0 && !id)
        r = ENTITY_NOT_FOUND;
    if (r == ENTITY_OK && affects_times(d) && !refresh_block_times())
        r = ENTITY_ERROR;
    if (r != ENTITY_OK || !db_commit()) {
        db_rollback();
        return r == ENTITY_OK ? ENTITY_ERROR : r;
    }
    return ENTITY_OK;
}

enum entity_result entity_insert(const struct entity_def *d, int64_t parent_id,
                                 const char *const *values, int64_t *id)
{
    strbuf sql;
    sb_init(&sql, NULL);
    sb_printf(&sql, "INSERT INTO %s (", d->table);
    if (d->parent_col)
        sb_printf(&sql, "%s, ", d->parent_col);
    if (strcmp(d->table, "edition") != 0)
        sb_puts(&sql, "sort_order, ");
    for (const char *const *c = d->columns; *c; c++)
        sb_printf(&sql, "%s%s", *c, c[1] ? ", " : "");
    sb_puts(&sql, ") VALUES (");
    if (d->parent_col)
        sb_puts(&sql, "?, ");
    if (strcmp(d->table, "edition") != 0) {
        if (d->parent_col)
            sb_printf(&sql, "(SELECT coalesce(max(sort_order), -1) + 1 FROM %s WHERE %s = ?), ",
                      d->table, d->parent_col);
        else
            sb_printf(&sql, "(SELECT coalesce(max(sort_order), -1) + 1 FROM %s), ", d->table);
    }
    size_t n = 0;
    for (const char *const *c = d->columns; *c; c++, n++)
        sb_printf(&sql, "?%s", c[1] ? ", " : "");
    sb_puts(&sql, ") RETURNING id");
    sqlite3_stmt *st = prepare(sb_str(&sql));
    sb_release(&sql);
    if (!st)
        return ENTITY_ERROR;
    int idx = 1;
    if (d->parent_col) {
        sqlite3_bind_int64(st, idx++, parent_id);
        if (strcmp(d->table, "edition") != 0)
            sqlite3_bind_int64(st, idx++, parent_id);
    }
    for (size_t i = 0; i < n; i++)
        db_bind_text(st, idx++, values[i]);
    *id = 0;
    return run_write(d, st, id);
}

enum entity_result entity_update(const struct entity_def *d, int64_t id, const char *const *values)
{
    strbuf sql;
    sb_init(&sql, NULL);
    sb_printf(&sql, "UPDATE %s SET ", d->table);
    size_t n = 0;
    for (const char *const *c = d->columns; *c; c++, n++)
        sb_printf(&sql, "%s = ?%s", *c, c[1] ? ", " : "");
    sb_puts(&sql, " WHERE id = ?");
    sqlite3_stmt *st = prepare(sb_str(&sql));
    sb_release(&sql);
    if (!st)
        return ENTITY_ERROR;
    for (size_t i = 0; i < n; i++)
        db_bind_text(st, (int)i + 1, values[i]);
    sqlite3_bind_int64(st, (int)n + 1, id);
    return run_write(d, st, NULL);
}

enum entity_result entity_delete(const struct entity_def *d, int64_t id)
{
    strbuf sql;
    sb_init(&sql, NULL);
    sb_printf(&sql, "DELETE FROM %s WHERE id = ?", d->table);
    sqlite3_stmt *st = prepare(sb_str(&sql));
    sb_release(&sql);
    if (st)
        sqlite3_bind_int64(st, 1, id);
    return run_write(d, st, NULL);
}

enum entity_result entity_move(const struct entity_def *d, int64_t id, int dir)
{
    if (!d->parent_col)
        return ENTITY_NOT_FOUND;
    /* Renumber the siblings 0..n-1 first so that swapping two neighbours
     * is always well defined, then swap. */
    json_t *row = entity_load(d, id);
    if (!row)
        return ENTITY_NOT_FOUND;
    int64_t parent = json_integer_value(json_object_get(row, "parent_id"));
    json_decref(row);
    json_t *siblings = entity_children(d, parent);
    size_t n = json_array_size(siblings), pos = n;
    for (size_t i = 0; i < n; i++)
        if (json_integer_value(json_object_get(json_array_get(siblings, i), "id")) == id)
            pos = i;
    if (pos == n || (dir < 0 && pos == 0) || (dir > 0 && pos + 1 >= n)) {
        json_decref(siblings);
        return pos == n ? ENTITY_NOT_FOUND : ENTITY_OK;
    }
    size_t other = dir < 0 ? pos - 1 : pos + 1;
    json_t *tmp = json_incref(json_array_get(siblings, pos));
    json_array_set(siblings, pos, json_array_get(siblings, other));
    json_array_set_new(siblings, other, tmp);
    strbuf sql;
    sb_init(&sql, NULL);
    sb_printf(&sql, "UPDATE %s SET sort_order = ? WHERE id = ?", d->table);
    enum entity_result r = ENTITY_ERROR;
    if (db_begin()) {
        sqlite3_stmt *st = prepare(sb_str(&sql));
        bool ok = st != NULL;
        for (size_t i = 0; ok && i < n; i++) {
            sqlite3_bind_int64(st, 1, (int64_t)i);
            sqlite3_bind_int64(st, 2, json_integer_value(json_object_get(json_array_get(siblings, i), "id")));
            ok = sqlite3_step(st) == SQLITE_DONE;
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
        if (ok && db_commit())
            r = ENTITY_OK;
        else
            db_rollback();
    }
    sb_release(&sql);
    json_decref(siblings);
    return r;
}

bool entity_edition_slug(const struct entity_def *d, int64_t id, char *buf, size_t n)
{
    static const struct {
        const char *table, *sql;
    } paths[] = {
        {"edition", "SELECT slug FROM edition WHERE id = ?"},
        {"course", "SELECT e.slug FROM course x JOIN edition e ON e.id = x.edition_id WHERE x.id = ?"},
        {"person", "SELECT e.slug FROM person x JOIN edition e ON e.id = x.edition_id WHERE x.id = ?"},
        {"institution", "SELECT e.slug FROM institution x JOIN edition e ON e.id = x.edition_id"
                        " WHERE x.id = ?"},
        {"signatory", "SELECT e.slug FROM signatory x JOIN edition e ON e.id = x.edition_id"
                      " WHERE x.id = ?"},
        {"course_day", "SELECT e.slug FROM course_day x JOIN course c ON c.id = x.course_id"
                       " JOIN edition e ON e.id = c.edition_id WHERE x.id = ?"},
        {"time_block", "SELECT e.slug FROM time_block x JOIN course_day d ON d.id = x.day_id"
                       " JOIN course c ON c.id = d.course_id JOIN edition e ON e.id = c.edition_id"
                       " WHERE x.id = ?"},
        {"programme_session",
         "SELECT e.slug FROM programme_session x JOIN time_block b ON b.id = x.block_id"
         " JOIN course_day d ON d.id = b.day_id JOIN course c ON c.id = d.course_id"
         " JOIN edition e ON e.id = c.edition_id WHERE x.id = ?"},
        {"topic", "SELECT e.slug FROM topic x JOIN programme_session s ON s.id = x.session_id"
                  " JOIN time_block b ON b.id = s.block_id JOIN course_day d ON d.id = b.day_id"
                  " JOIN course c ON c.id = d.course_id JOIN edition e ON e.id = c.edition_id"
                  " WHERE x.id = ?"},
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (strcmp(paths[i].table, d->table) != 0)
            continue;
        sqlite3_stmt *st = db_stmt(paths[i].sql);
        if (!st)
            return false;
        db_bind_int(st, 1, id);
        bool found = sqlite3_step(st) == SQLITE_ROW;
        if (found)
            snprintf(buf, n, "%s", db_col_text(st, 0));
        sqlite3_reset(st);
        return found;
    }
    return false;
}
