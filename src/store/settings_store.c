/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "settings_store.h"

#include <string.h>

#include "account_store.h"
#include "db.h"

const char *setting_get(arena *a, const char *name)
{
    sqlite3_stmt *st = db_stmt("SELECT value FROM site_setting WHERE name = ?");
    if (!st)
        return NULL;
    db_bind_text(st, 1, name);
    const char *v = sqlite3_step(st) == SQLITE_ROW ? arena_strdup(a, db_col_text(st, 0)) : NULL;
    sqlite3_reset(st);
    return v;
}

bool setting_set(const char *actor, const char *name, const char *value, const char *detail)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = value
        ? db_stmt("INSERT INTO site_setting (name, value, updated_at) VALUES (?, ?, ?)"
                  " ON CONFLICT (name) DO UPDATE SET value = excluded.value,"
                  " updated_at = excluded.updated_at")
        : db_stmt("DELETE FROM site_setting WHERE name = ?");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, name);
        if (value) {
            db_bind_text(st, 2, value);
            db_bind_text(st, 3, now);
        }
        ok = db_exec_stmt(st) &&
             audit(actor, value ? "setting.set" : "setting.clear", name, detail ? detail : value);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

bool site_file_get(arena *a, const char *name, bool data, struct site_file *out)
{
    sqlite3_stmt *st = data
        ? db_stmt("SELECT content_type, sha256, data FROM site_file WHERE name = ?")
        : db_stmt("SELECT content_type, sha256 FROM site_file WHERE name = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, name);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        out->content_type = arena_strdup(a, db_col_text(st, 0));
        out->sha256 = arena_strdup(a, db_col_text(st, 1));
        out->data = NULL;
        out->len = 0;
        if (data) {
            int n = sqlite3_column_bytes(st, 2);
            unsigned char *copy = n > 0 ? arena_alloc(a, (size_t)n) : NULL;
            if (copy)
                memcpy(copy, sqlite3_column_blob(st, 2), (size_t)n);
            out->data = copy;
            out->len = copy ? (size_t)n : 0;
            found = copy != NULL;
        }
        found = found && out->content_type && out->sha256;
    }
    sqlite3_reset(st);
    return found;
}

bool site_file_set(const char *actor, const char *name, const struct site_file *f)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return false;
    sqlite3_stmt *st = f
        ? db_stmt("INSERT INTO site_file (name, content_type, sha256, data, updated_at)"
                  " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                  " content_type = excluded.content_type, sha256 = excluded.sha256,"
                  " data = excluded.data, updated_at = excluded.updated_at")
        : db_stmt("DELETE FROM site_file WHERE name = ?");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, name);
        if (f) {
            db_bind_text(st, 2, f->content_type);
            db_bind_text(st, 3, f->sha256);
            sqlite3_bind_blob(st, 4, f->data, (int)f->len, SQLITE_TRANSIENT);
            db_bind_text(st, 5, now);
        }
        ok = db_exec_stmt(st) && audit(actor, f ? "file.set" : "file.clear", name,
                                       f ? f->content_type : NULL);
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}

bool organisation_get(arena *a, const char **name_es, const char **name_en,
                      const char **short_name)
{
    sqlite3_stmt *st = db_stmt("SELECT name_es, name_en, short_name FROM organisation"
                               " ORDER BY id LIMIT 1");
    if (!st)
        return false;
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        *name_es = db_col_text(st, 0) ? arena_strdup(a, db_col_text(st, 0)) : "";
        *name_en = db_col_text(st, 1) ? arena_strdup(a, db_col_text(st, 1)) : "";
        *short_name = db_col_text(st, 2) ? arena_strdup(a, db_col_text(st, 2)) : "";
    }
    sqlite3_reset(st);
    return found;
}

static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

bool organisation_set(const char *actor, const char *name_es, const char *name_en,
                      const char *short_name)
{
    if (!db_begin())
        return false;
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO organisation (slug, name_es, name_en, short_name)"
        " SELECT 'organisation', ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM organisation)");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, name_es);
        db_bind_text(st, 2, or_null(name_en));
        db_bind_text(st, 3, or_null(short_name));
        ok = db_exec_stmt(st);
    }
    if (ok && (st = db_stmt("UPDATE organisation SET name_es = ?1, name_en = ?2, short_name = ?3"
                            " WHERE id = (SELECT min(id) FROM organisation)"))) {
        db_bind_text(st, 1, name_es);
        db_bind_text(st, 2, or_null(name_en));
        db_bind_text(st, 3, or_null(short_name));
        ok = db_exec_stmt(st) && audit(actor, "setting.set", "organisation", name_es);
    } else {
        ok = false;
    }
    if (!ok || !db_commit()) {
        db_rollback();
        return false;
    }
    return true;
}
