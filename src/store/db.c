/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/embedded.h"
#include "../base/log.h"

static char *db_path;

/* Every connection opened is remembered so that shutdown can close them
 * all; worker threads of libmicrohttpd do not tell us when they end. */
struct conn {
    sqlite3 *db;
    struct cached_stmt {
        const char *sql;
        sqlite3_stmt *st;
    } stmts[256];
    int nstmts;
    struct conn *next;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *registry;
static _Thread_local struct conn *mine;

void db_configure(const char *path)
{
    free(db_path);
    db_path = strdup(path);
}

static bool exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("database: %s", msg ? msg : "unknown error");
        sqlite3_free(msg);
        return false;
    }
    return true;
}

sqlite3 *db_conn(void)
{
    if (mine)
        return mine->db;
    struct conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    int rc = sqlite3_open_v2(db_path, &c->db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        log_error("cannot open database %s: %s", db_path,
                  c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, 5000);
    if (!exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                     "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
                     "PRAGMA temp_store=MEMORY;")) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    pthread_mutex_lock(&registry_lock);
    c->next = registry;
    registry = c;
    pthread_mutex_unlock(&registry_lock);
    mine = c;
    return c->db;
}

void db_close_all(void)
{
    pthread_mutex_lock(&registry_lock);
    for (struct conn *c = registry; c;) {
        struct conn *next = c->next;
        for (int i = 0; i < c->nstmts; i++)
            sqlite3_finalize(c->stmts[i].st);
        sqlite3_close(c->db);
        free(c);
        c = next;
    }
    registry = NULL;
    mine = NULL;
    pthread_mutex_unlock(&registry_lock);
}

sqlite3_stmt *db_stmt(const char *sql)
{
    if (!db_conn())
        return NULL;
    for (int i = 0; i < mine->nstmts; i++) {
        if (mine->stmts[i].sql == sql) {
            sqlite3_stmt *st = mine->stmts[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(mine->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        log_error("database: cannot prepare statement: %s", sqlite3_errmsg(mine->db));
        return NULL;
    }
    if (mine->nstmts < (int)(sizeof mine->stmts / sizeof mine->stmts[0])) {
        mine->stmts[mine->nstmts].sql = sql;
        mine->stmts[mine->nstmts].st = st;
        mine->nstmts++;
    }
    /* A statement that does not fit the cache leaks until shutdown; the
     * cache is sized above the number of statements in the program. */
    return st;
}

bool db_begin(void)
{
    return db_conn() && exec(mine->db, "BEGIN IMMEDIATE");
}

bool db_commit(void)
{
    return exec(mine->db, "COMMIT");
}

void db_rollback(void)
{
    if (mine && !sqlite3_get_autocommit(mine->db))
        sqlite3_exec(mine->db, "ROLLBACK", NULL, NULL, NULL);
}

bool db_exec_stmt(sqlite3_stmt *st)
{
    if (!st)
        return false;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        log_error("database: %s", sqlite3_errmsg(sqlite3_db_handle(st)));
        sqlite3_reset(st);
        return false;
    }
    sqlite3_reset(st);
    return true;
}

void db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
    if (s)
        sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, idx);
}

void db_bind_int(sqlite3_stmt *st, int idx, int64_t v)
{
    sqlite3_bind_int64(st, idx, v);
}

const char *db_col_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

const char *db_errmsg(void)
{
    return mine ? sqlite3_errmsg(mine->db) : "no database connection";
}

void db_now(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool db_migrate(char *err, size_t errlen)
{
    sqlite3 *db = db_conn();
    if (!db) {
        snprintf(err, errlen, "cannot open the database %s", db_path);
        return false;
    }
    if (!exec(db, "CREATE TABLE IF NOT EXISTS schema_migration ("
                  "name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")) {
        snprintf(err, errlen, "cannot create the migrations table in %s: %s", db_path,
                 sqlite3_errmsg(db));
        return false;
    }
    for (size_t i = 0; i < embedded_migrations_count; i++) {
        const struct embedded_file *m = &embedded_migrations[i];
        sqlite3_stmt *st = NULL;
        sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migration WHERE name = ?", -1, &st, NULL);
        sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC);
        int applied = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (applied)
            continue;
        char *sql = strndup((const char *)m->data, m->len);
        char *msg = NULL;
        char now[32];
        db_now(now);
        bool ok = sql && exec(db, "BEGIN IMMEDIATE") &&
                  sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK;
        free(sql);
        if (ok) {
            sqlite3_prepare_v2(db, "INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)",
                               -1, &st, NULL);
            sqlite3_bind_text(st, 1, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
            ok = sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
        if (!ok || !exec(db, "COMMIT")) {
            snprintf(err, errlen, "migration %s failed in %s: %s", m->name, db_path,
                     msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return false;
        }
    }
    return true;
}

bool db_backup(const char *path, char *err, size_t errlen)
{
    sqlite3 *src = db_conn();
    sqlite3 *dst = NULL;
    if (!src) {
        snprintf(err, errlen, "cannot open the database %s", db_path);
        return false;
    }
    if (sqlite3_open(path, &dst) != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return false;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int rc = SQLITE_ERROR;
    if (b) {
        do {
            rc = sqlite3_backup_step(b, 256);
            if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep(50);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
    }
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup to %s failed: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return false;
    }
    sqlite3_close(dst);
    return true;
}
