/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "bulk_store.h"

#include <stdio.h>

#include "db.h"

enum bulk_claim bulk_claim(const char *token, const char *kind, const char *actor, char *result,
                           size_t n)
{
    char now[32];
    db_now(now);
    /* The primary key decides between racing submissions. */
    sqlite3_stmt *st = db_stmt("INSERT INTO bulk_action (token, kind, actor, created_at)"
                               " VALUES (?, ?, ?, ?) ON CONFLICT (token) DO NOTHING");
    if (!st)
        return BULK_ERROR;
    db_bind_text(st, 1, token);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, actor);
    db_bind_text(st, 4, now);
    if (!db_exec_stmt(st))
        return BULK_ERROR;
    if (sqlite3_changes(db_conn()) == 1)
        return BULK_NEW;
    st = db_stmt("SELECT coalesce(result, '') FROM bulk_action WHERE token = ?");
    if (!st)
        return BULK_ERROR;
    db_bind_text(st, 1, token);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found && result)
        snprintf(result, n, "%s", db_col_text(st, 0));
    sqlite3_reset(st);
    return found ? BULK_DONE : BULK_ERROR;
}

bool bulk_finish(const char *token, const char *result)
{
    sqlite3_stmt *st = db_stmt("UPDATE bulk_action SET result = ? WHERE token = ?");
    if (!st)
        return false;
    db_bind_text(st, 1, result);
    db_bind_text(st, 2, token);
    return db_exec_stmt(st);
}
