/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "account_store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db.h"

static void read_account(arena *a, sqlite3_stmt *st, struct account *out)
{
    out->id = sqlite3_column_int64(st, 0);
    out->email = arena_strdup(a, db_col_text(st, 1));
    out->role = arena_strdup(a, db_col_text(st, 2));
    out->password_hash = arena_strdup(a, db_col_text(st, 3));
}

int64_t account_upsert(const char *email, const char *role, const char *password_hash)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt(
        "INSERT INTO account (email, role, password_hash, created_at) VALUES (lower(?), ?, ?, ?)"
        " ON CONFLICT (email) DO UPDATE SET role = excluded.role, active = 1,"
        " password_hash = coalesce(excluded.password_hash, account.password_hash)"
        " RETURNING id");
    if (!st)
        return 0;
    db_bind_text(st, 1, email);
    db_bind_text(st, 2, role);
    db_bind_text(st, 3, password_hash);
    db_bind_text(st, 4, now);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return id;
}

bool account_by_email(arena *a, const char *email, struct account *out)
{
    /* A deactivated account is no account: no password, no link, no token. */
    sqlite3_stmt *st = db_stmt("SELECT id, email, role, password_hash FROM account"
                               " WHERE email = lower(?) AND active = 1");
    if (!st)
        return false;
    db_bind_text(st, 1, email);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        read_account(a, st, out);
    sqlite3_reset(st);
    return found;
}

static void later(int seconds, char buf[32])
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool session_create(int64_t account_id, const char *token_hash, int ttl_seconds)
{
    char now[32], expires[32];
    db_now(now);
    later(ttl_seconds, expires);
    sqlite3_stmt *st = db_stmt("INSERT INTO web_session (token_hash, account_id, created_at,"
                               " expires_at) VALUES (?, ?, ?, ?)");
    if (!st)
        return false;
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, account_id);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, expires);
    return db_exec_stmt(st);
}

bool session_account(arena *a, const char *token_hash, struct account *out)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt(
        "SELECT a.id, a.email, a.role, a.password_hash FROM web_session s"
        " JOIN account a ON a.id = s.account_id WHERE s.token_hash = ? AND s.expires_at > ?"
        " AND a.active = 1");
    if (!st)
        return false;
    db_bind_text(st, 1, token_hash);
    db_bind_text(st, 2, now);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        read_account(a, st, out);
    sqlite3_reset(st);
    return found;
}

void session_delete(const char *token_hash)
{
    sqlite3_stmt *st = db_stmt("DELETE FROM web_session WHERE token_hash = ?");
    if (!st)
        return;
    db_bind_text(st, 1, token_hash);
    db_exec_stmt(st);
}

bool api_token_create(int64_t account_id, const char *token_hash)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt("INSERT INTO api_token (token_hash, account_id, created_at)"
                               " VALUES (?, ?, ?)");
    if (!st)
        return false;
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, account_id);
    db_bind_text(st, 3, now);
    return db_exec_stmt(st);
}

bool api_token_account(arena *a, const char *token_hash, struct account *out)
{
    sqlite3_stmt *st = db_stmt(
        "SELECT a.id, a.email, a.role, a.password_hash FROM api_token t"
        " JOIN account a ON a.id = t.account_id WHERE t.token_hash = ? AND a.active = 1");
    if (!st)
        return false;
    db_bind_text(st, 1, token_hash);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        read_account(a, st, out);
    sqlite3_reset(st);
    return found;
}

bool audit(const char *actor, const char *action, const char *subject, const char *detail)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt("INSERT INTO audit_log (at, actor, action, subject, detail)"
                               " VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return false;
    db_bind_text(st, 1, now);
    db_bind_text(st, 2, actor);
    db_bind_text(st, 3, action);
    db_bind_text(st, 4, subject);
    db_bind_text(st, 5, detail);
    return db_exec_stmt(st);
}

json_t *audit_recent(int limit)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt("SELECT at, actor, action, subject, detail FROM audit_log"
                               " ORDER BY id DESC LIMIT ?");
    if (!st)
        return arr;
    db_bind_int(st, 1, limit);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "at", json_string(db_col_text(st, 0)));
        json_object_set_new(o, "actor", json_string(db_col_text(st, 1)));
        json_object_set_new(o, "action", json_string(db_col_text(st, 2)));
        json_object_set_new(o, "subject", json_string(db_col_text(st, 3)));
        json_object_set_new(o, "detail", db_col_text(st, 4) ? json_string(db_col_text(st, 4))
                                                            : json_null());
        json_array_append_new(arr, o);
    }
    sqlite3_reset(st);
    return arr;
}
