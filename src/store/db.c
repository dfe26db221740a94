/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* Whether a statement of this thread failed because the database stayed busy
 * (or could not be prepared) since db_take_failure() last looked.  Reads
 * stop at the first non-row answer as if there were no more rows, so without
 * this a busy database would give an empty page that looks true. */
static _Thread_local bool failed;

enum { BUSY_TIMEOUT_MS = 5000 };

/* sqlite3_busy_timeout(), remembering when it gives up. */
static int on_busy(void *arg, int count)
{
    (void)arg;
    static _Thread_local struct timespec since;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (count == 0)
        since = now;
    long long ms = (long long)(now.tv_sec - since.tv_sec) * 1000 +
                   (now.tv_nsec - since.tv_nsec) / 1000000;
    if (ms >= BUSY_TIMEOUT_MS) {
        failed = true;
        return 0;
    }
    sqlite3_sleep(count < 10 ? count + 1 : 20);
    return 1;
}

bool db_take_failure(void)
{
    bool f = failed;
    failed = false;
    return f;
}

bool db_page_generation(int64_t *n)
{
    sqlite3_stmt *st = db_stmt("SELECT n FROM page_generation WHERE id = 1");
    if (!st)
        return false;
    bool ok = sqlite3_step(st) == SQLITE_ROW;
    if (ok)
        *n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return ok;
}

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
    sqlite3_busy_handler(c->db, on_busy, NULL);
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
    if (!db_conn()) {
        failed = true;
        return NULL;
    }
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
        failed = true;
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
        /* Foreign keys off while a migration runs (outside its transaction,
         * where the pragma works): a table rebuilt the documented way is
         * dropped and replaced, and dropping it must not cascade to the rows
         * that refer to it.  They are checked before the commit instead. */
        bool ok = sql && exec(db, "PRAGMA foreign_keys=OFF") && exec(db, "BEGIN IMMEDIATE") &&
                  sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK;
        free(sql);
        if (ok) {
            sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL);
            ok = st && sqlite3_step(st) == SQLITE_DONE;
            sqlite3_finalize(st);
        }
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
            exec(db, "PRAGMA foreign_keys=ON");
            return false;
        }
        if (!exec(db, "PRAGMA foreign_keys=ON")) {
            snprintf(err, errlen, "cannot turn foreign keys back on in %s", db_path);
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
    /* The copy carries the WAL flag of the live database; a backup is one
     * self-contained file, readable without -wal and -shm beside it. */
    if (!exec(dst, "PRAGMA journal_mode=DELETE")) {
        snprintf(err, errlen, "backup to %s failed: %s", path, sqlite3_errmsg(dst));
        sqlite3_close(dst);
        return false;
    }
    sqlite3_close(dst);
    return true;
}

/* The first column of the first row of sql on db, into out; false when the
 * statement fails (its error code in *rc). */
static bool first_text(sqlite3 *db, const char *sql, char *out, size_t n, int *rc)
{
    sqlite3_stmt *st = NULL;
    *rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (*rc != SQLITE_OK)
        return false;
    *rc = sqlite3_step(st);
    bool ok = *rc == SQLITE_ROW || *rc == SQLITE_DONE;
    if (out && n)
        snprintf(out, n, "%s",
                 *rc == SQLITE_ROW && sqlite3_column_text(st, 0)
                     ? (const char *)sqlite3_column_text(st, 0)
                     : "");
    sqlite3_finalize(st);
    return ok;
}

static bool is_embedded_migration(const char *name)
{
    for (size_t i = 0; i < embedded_migrations_count; i++)
        if (strcmp(embedded_migrations[i].name, name) == 0)
            return true;
    return false;
}

/* Opens a database file for reading.  With a -wal beside it, someone may be
 * writing it (a running server), or the -wal holds its last transactions:
 * it is opened as usual.  Without, nobody writes it (a backup, a stopped
 * server's database) and it is opened immutable, so that reading leaves no
 * -wal or -shm behind. */
static int open_reading(const char *path, sqlite3 **db)
{
    char wal[1100];
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (access(wal, F_OK) == 0)
        return sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL);
    char uri[3200];
    size_t n = (size_t)snprintf(uri, sizeof uri, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < sizeof uri; p++) {
        if (*p == '?' || *p == '#' || *p == '%' || *p <= ' ' || *p >= 0x7f)
            n += (size_t)snprintf(uri + n, sizeof uri - n, "%%%02X", *p);
        else
            uri[n++] = (char)*p;
    }
    snprintf(uri + n, sizeof uri - n, "?immutable=1");
    return sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
}

/* One line of at most a hundred characters from an integrity report. */
static void one_line(char *dst, size_t n, const char *src)
{
    const char *skip = "*** in database main ***";
    while (*src == '\n' || *src == ' ')
        src++;
    if (strncmp(src, skip, strlen(skip)) == 0)
        src += strlen(skip);
    while (*src == '\n' || *src == ' ')
        src++;
    size_t k = 0;
    for (; *src && k + 1 < n && k < 100; src++)
        dst[k++] = (*src == '\n' || *src == '\r') ? ' ' : *src;
    dst[k] = '\0';
}

enum db_file_verdict db_inspect_file(const char *path, struct db_file_info *info)
{
    memset(info, 0, sizeof *info);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(info->detail, sizeof info->detail, "%s is not a readable file", path);
        return DB_FILE_UNREADABLE;
    }
    sqlite3 *db = NULL;
    if (open_reading(path, &db) != SQLITE_OK) {
        snprintf(info->detail, sizeof info->detail, "cannot open %s: %s", path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return DB_FILE_UNREADABLE;
    }
    sqlite3_busy_timeout(db, 5000);
    enum db_file_verdict v = DB_FILE_OK;
    char row[256];
    int rc;
    /* SQLite reads the header only on the first statement; a file that is
     * not a database fails here. */
    if (!first_text(db, "SELECT count(*) FROM sqlite_master", row, sizeof row, &rc)) {
        v = (rc & 0xff) == SQLITE_NOTADB ? DB_FILE_NOT_SQLITE
            : (rc & 0xff) == SQLITE_CORRUPT ? DB_FILE_DAMAGED
                                            : DB_FILE_UNREADABLE;
        snprintf(info->detail, sizeof info->detail, "%s", sqlite3_errmsg(db));
        goto done;
    }
    if (!first_text(db, "PRAGMA integrity_check", row, sizeof row, &rc)) {
        v = (rc & 0xff) == SQLITE_NOTADB ? DB_FILE_NOT_SQLITE : DB_FILE_DAMAGED;
        snprintf(info->detail, sizeof info->detail, "%s", sqlite3_errmsg(db));
        goto done;
    }
    if (strcmp(row, "ok") != 0) {
        v = DB_FILE_DAMAGED;
        one_line(info->detail, sizeof info->detail, row);
        goto done;
    }
    /* Aula's schema: the migrations table with the first migration, and the
     * table it creates. */
    if (!first_text(db,
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                    "('schema_migration', 'account', 'audit_log')",
                    row, sizeof row, &rc) ||
        strcmp(row, "3") != 0 ||
        !first_text(db, "SELECT count(*) FROM schema_migration WHERE name = '001_foundation.sql'",
                    row, sizeof row, &rc) ||
        strcmp(row, "1") != 0) {
        v = DB_FILE_NOT_AULA;
        snprintf(info->detail, sizeof info->detail, "it has no Aula tables");
        goto done;
    }
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT name FROM schema_migration ORDER BY name", -1, &q, NULL) !=
        SQLITE_OK) {
        v = DB_FILE_NOT_AULA;
        snprintf(info->detail, sizeof info->detail, "%s", sqlite3_errmsg(db));
        goto done;
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(q, 0);
        info->applied++;
        if (v == DB_FILE_OK && (!name || !is_embedded_migration(name))) {
            v = DB_FILE_NEWER;
            snprintf(info->detail, sizeof info->detail, "migration %s is unknown to this version",
                     name ? name : "(null)");
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE && v == DB_FILE_OK) {
        v = DB_FILE_DAMAGED;
        snprintf(info->detail, sizeof info->detail, "%s", sqlite3_errmsg(db));
    }
    if (v == DB_FILE_OK && info->applied < (int)embedded_migrations_count)
        info->pending = (int)embedded_migrations_count - info->applied;
done:
    sqlite3_close(db);
    return v;
}

bool db_copy_file(const char *from, const char *to, char *err, size_t errlen)
{
    sqlite3 *src = NULL, *dst = NULL;
    bool ok = false;
    if (open_reading(from, &src) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", from, src ? sqlite3_errmsg(src) : "");
        goto out;
    }
    if (sqlite3_open_v2(to, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", to, dst ? sqlite3_errmsg(dst) : "");
        goto out;
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        snprintf(err, errlen, "cannot copy to %s: %s", to, sqlite3_errmsg(dst));
        goto out;
    }
    int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "copying %s to %s failed: %s", from, to, sqlite3_errstr(rc));
        goto out;
    }
    /* One self-contained file (the server turns WAL on again when it
     * opens it). */
    if (!exec(dst, "PRAGMA journal_mode=DELETE")) {
        snprintf(err, errlen, "cannot finish %s: %s", to, sqlite3_errmsg(dst));
        goto out;
    }
    ok = true;
out:
    sqlite3_close(src);
    if (dst && sqlite3_close(dst) != SQLITE_OK && ok) {
        snprintf(err, errlen, "cannot finish writing %s", to);
        ok = false;
    }
    return ok;
}
