/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "people_store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "account_store.h"
#include "db.h"
#include "outbox_store.h"

static void later(int seconds, char buf[32])
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

json_t *staff_list(void)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = db_stmt(
        "SELECT id, email, role, active, password_hash IS NOT NULL, created_at FROM account"
        " WHERE role != 'participant'"
        " ORDER BY active DESC, CASE role WHEN 'admin' THEN 0 WHEN 'coordinator' THEN 1 ELSE 2 END,"
        " email");
    if (!st)
        return arr;
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:b, s:b, s:s}",
            "id", (json_int_t)sqlite3_column_int64(st, 0), "email", db_col_text(st, 1),
            "role", db_col_text(st, 2), "active", sqlite3_column_int(st, 3),
            "has_password", sqlite3_column_int(st, 4), "created_at", db_col_text(st, 5)));
    sqlite3_reset(st);
    return arr;
}

json_t *staff_get(int64_t id)
{
    sqlite3_stmt *st = db_stmt("SELECT id, email, role, active FROM account"
                               " WHERE id = ? AND role != 'participant'");
    if (!st)
        return NULL;
    db_bind_int(st, 1, id);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        o = json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
                      "email", db_col_text(st, 1), "role", db_col_text(st, 2), "active",
                      sqlite3_column_int(st, 3));
    sqlite3_reset(st);
    return o;
}

static bool queue(message_fn msg, void *ud, json_t *extra)
{
    if (!msg)
        return true;
    struct message m = {0};
    return msg(ud, "account.password", 0, extra, &m) && outbox_queue("account.password", 0, &m, NULL);
}

static bool token_insert(int64_t account_id, const char *token_hash, int ttl_seconds)
{
    char now[32], expires[32];
    db_now(now);
    later(ttl_seconds, expires);
    sqlite3_stmt *st = db_stmt("INSERT INTO password_token (token_hash, account_id, created_at,"
                               " expires_at) VALUES (?, ?, ?, ?)");
    if (!st)
        return false;
    db_bind_text(st, 1, token_hash);
    db_bind_int(st, 2, account_id);
    db_bind_text(st, 3, now);
    db_bind_text(st, 4, expires);
    return db_exec_stmt(st);
}

static enum staff_result finish(bool ok, enum staff_result r)
{
    if (ok && r == STAFF_OK && db_commit())
        return STAFF_OK;
    db_rollback();
    return r == STAFF_OK ? STAFF_FAILED : r;
}

enum staff_result staff_add(const char *actor, const char *email, const char *role,
                            const char *token_hash, int ttl_seconds, message_fn msg, void *ud,
                            json_t *extra, int64_t *id_out)
{
    char now[32];
    db_now(now);
    if (!db_begin())
        return STAFF_FAILED;
    /* A participant's account becomes staff; a staff account, active or
     * not, is changed on its own row of the list instead. */
    sqlite3_stmt *st = db_stmt("SELECT role FROM account WHERE email = lower(?)");
    if (!st)
        return finish(false, STAFF_FAILED);
    db_bind_text(st, 1, email);
    bool staff = sqlite3_step(st) == SQLITE_ROW && strcmp(db_col_text(st, 0), "participant") != 0;
    sqlite3_reset(st);
    if (staff)
        return finish(false, STAFF_EXISTS);
    st = db_stmt("INSERT INTO account (email, role, created_at) VALUES (lower(?), ?, ?)"
                 " ON CONFLICT (email) DO UPDATE SET role = excluded.role, active = 1 RETURNING id");
    if (!st)
        return finish(false, STAFF_FAILED);
    db_bind_text(st, 1, email);
    db_bind_text(st, 2, role);
    db_bind_text(st, 3, now);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    bool ok = id && token_insert(id, token_hash, ttl_seconds) &&
              audit(actor, "account.add", email, role) && queue(msg, ud, extra);
    if (id_out)
        *id_out = id;
    return finish(ok, STAFF_OK);
}

/* Whether taking administration away from account id (inside the
 * transaction) would leave no active administrator. */
static bool last_admin(int64_t id)
{
    sqlite3_stmt *st = db_stmt("SELECT (SELECT role = 'admin' AND active = 1 FROM account WHERE id = ?1),"
                               " (SELECT count(*) FROM account WHERE role = 'admin' AND active = 1"
                               "  AND id != ?1)");
    if (!st)
        return true;
    db_bind_int(st, 1, id);
    bool last = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1 &&
                sqlite3_column_int64(st, 1) == 0;
    sqlite3_reset(st);
    return last;
}

static const char *email_of(int64_t id, char *buf, size_t n)
{
    sqlite3_stmt *st = db_stmt("SELECT email FROM account WHERE id = ? AND role != 'participant'");
    if (!st)
        return NULL;
    db_bind_int(st, 1, id);
    const char *r = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && n > 0) {
        snprintf(buf, n, "%s", db_col_text(st, 0));
        r = buf;
    }
    sqlite3_reset(st);
    return r;
}

enum staff_result staff_set_role(const char *actor, int64_t id, const char *role)
{
    char email[320];
    if (!db_begin())
        return STAFF_FAILED;
    if (!email_of(id, email, sizeof email))
        return finish(false, STAFF_NOT_FOUND);
    if (strcmp(role, "admin") != 0 && last_admin(id))
        return finish(false, STAFF_LAST_ADMIN);
    sqlite3_stmt *st = db_stmt("UPDATE account SET role = ? WHERE id = ?");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, role);
        db_bind_int(st, 2, id);
        ok = db_exec_stmt(st) && audit(actor, "account.role", email, role);
    }
    return finish(ok, STAFF_OK);
}

static bool exec_id(const char *sql, int64_t id)
{
    sqlite3_stmt *st = db_stmt(sql);
    if (!st)
        return false;
    db_bind_int(st, 1, id);
    return db_exec_stmt(st);
}

enum staff_result staff_set_active(const char *actor, int64_t id, bool active)
{
    char email[320];
    if (!db_begin())
        return STAFF_FAILED;
    if (!email_of(id, email, sizeof email))
        return finish(false, STAFF_NOT_FOUND);
    if (!active && last_admin(id))
        return finish(false, STAFF_LAST_ADMIN);
    bool ok;
    if (active)
        ok = exec_id("UPDATE account SET active = 1 WHERE id = ?", id);
    else
        ok = exec_id("UPDATE account SET active = 0 WHERE id = ?", id) &&
             exec_id("DELETE FROM web_session WHERE account_id = ?", id) &&
             exec_id("DELETE FROM api_token WHERE account_id = ?", id) &&
             exec_id("DELETE FROM password_token WHERE account_id = ? AND used_at IS NULL", id);
    ok = ok && audit(actor, active ? "account.activate" : "account.deactivate", email, NULL);
    return finish(ok, STAFF_OK);
}

enum staff_result staff_password_link(const char *actor, int64_t id, const char *token_hash,
                                      int ttl_seconds, message_fn msg, void *ud, json_t *extra)
{
    char email[320];
    if (!db_begin())
        return STAFF_FAILED;
    if (!email_of(id, email, sizeof email))
        return finish(false, STAFF_NOT_FOUND);
    bool ok = token_insert(id, token_hash, ttl_seconds) &&
              audit(actor, "account.password_link", email, NULL) && queue(msg, ud, extra);
    return finish(ok, STAFF_OK);
}

/* The state of a link; *account_id set when it exists. */
static enum password_link link_state(const char *token_hash, int64_t *account_id)
{
    char now[32];
    db_now(now);
    sqlite3_stmt *st = db_stmt("SELECT t.account_id, t.expires_at, t.used_at, a.active"
                               " FROM password_token t JOIN account a ON a.id = t.account_id"
                               " WHERE t.token_hash = ?");
    if (!st)
        return PWLINK_UNKNOWN;
    db_bind_text(st, 1, token_hash);
    enum password_link r = PWLINK_UNKNOWN;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 3) == 1) {
        *account_id = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            r = PWLINK_USED;
        else if (strcmp(db_col_text(st, 1), now) <= 0)
            r = PWLINK_EXPIRED;
        else
            r = PWLINK_OK;
    }
    sqlite3_reset(st);
    return r;
}

enum password_link password_link_peek(const char *token_hash)
{
    int64_t id = 0;
    return link_state(token_hash, &id);
}

enum password_link password_link_use(const char *token_hash, const char *password_hash)
{
    char now[32], email[320];
    db_now(now);
    if (!db_begin())
        return PWLINK_UNKNOWN;
    int64_t id = 0;
    enum password_link r = link_state(token_hash, &id);
    if (r != PWLINK_OK) {
        db_rollback();
        return r;
    }
    sqlite3_stmt *st = db_stmt("UPDATE account SET password_hash = ? WHERE id = ?");
    bool ok = st != NULL;
    if (ok) {
        db_bind_text(st, 1, password_hash);
        db_bind_int(st, 2, id);
        ok = db_exec_stmt(st);
    }
    if (ok && (st = db_stmt("UPDATE password_token SET used_at = ? WHERE account_id = ?"
                            " AND used_at IS NULL"))) {
        db_bind_text(st, 1, now);
        db_bind_int(st, 2, id);
        ok = db_exec_stmt(st);
    } else {
        ok = false;
    }
    ok = ok && exec_id("DELETE FROM web_session WHERE account_id = ?", id) &&
         email_of(id, email, sizeof email) && audit(email, "account.password_set", email, NULL);
    if (!ok || !db_commit()) {
        db_rollback();
        return PWLINK_UNKNOWN;
    }
    return PWLINK_OK;
}
