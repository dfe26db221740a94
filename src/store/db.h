/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The database: one SQLite file in the data directory.
 *
 * Each thread gets its own connection, opened on first use, with WAL,
 * foreign keys and a busy timeout.  Statements are prepared once per
 * connection and kept; db_stmt() hands one back reset and unbound.  The SQL
 * lives in the storage layer (src/store); the command line also includes
 * this header to open, migrate, back up and close the database, and pages
 * for db_now() and the route table's hooks (db_take_failure,
 * db_page_generation). */
#ifndef AULA_DB_H
#define AULA_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Sets the database path for connections opened from now on. */
void db_configure(const char *path);
/* This thread's connection, or NULL (with the reason logged). */
sqlite3 *db_conn(void);
/* Closes every connection (at shutdown, after the workers stopped). */
void db_close_all(void);

/* Applies the embedded migrations that are not applied yet, each in its
 * own transaction.  Returns false (with a message in err) on failure. */
bool db_migrate(char *err, size_t errlen);

/* A cached prepared statement for sql (a string literal: cached by its
 * address), reset and with bindings cleared; NULL on error. */
sqlite3_stmt *db_stmt(const char *sql);

bool db_begin(void);   /* BEGIN IMMEDIATE: writers queue here, not mid-way */
bool db_commit(void);
void db_rollback(void);

/* Runs a statement that returns no rows; true on SQLITE_DONE. */
bool db_exec_stmt(sqlite3_stmt *st);

/* Binding helpers: NULL text binds SQL NULL. */
void db_bind_text(sqlite3_stmt *st, int idx, const char *s);
void db_bind_int(sqlite3_stmt *st, int idx, int64_t v);
/* Column text, or NULL. */
const char *db_col_text(sqlite3_stmt *st, int col);

/* Copies the database to path with SQLite's online backup. */
bool db_backup(const char *path, char *err, size_t errlen);

/* Whether a statement of this thread failed since the last call, because
 * the database stayed busy past the timeout or a statement could not be
 * prepared; clears it.  Requests answer 503 then, not what the failed
 * reads would look like (no rows). */
bool db_take_failure(void);

/* The generation of what public pages show (*n), bumped by the database
 * itself on every change to the programme, organisation or settings (see
 * migration 016); false when it cannot be read. */
bool db_page_generation(int64_t *n);

/* The last error of this thread's connection. */
const char *db_errmsg(void);

/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void db_now(char buf[32]);

#endif

/* What a database file on disk is, judged without changing it (for
 * aula restore and aula doctor). */
enum db_file_verdict {
    DB_FILE_OK,
    DB_FILE_UNREADABLE, /* missing, not a regular file, cannot be opened */
    DB_FILE_NOT_SQLITE, /* not an SQLite database at all */
    DB_FILE_DAMAGED,    /* SQLite, but the integrity check fails */
    DB_FILE_NOT_AULA,   /* SQLite, sound, but not Aula's schema */
    DB_FILE_NEWER,      /* has migrations this binary does not know */
};
struct db_file_info {
    int applied;        /* migrations recorded in the file */
    int pending;        /* embedded migrations the file lacks (applied at start-up) */
    char detail[300];   /* why, for anything but DB_FILE_OK */
};
/* Opens path read-only and checks it: SQLite, PRAGMA integrity_check,
 * Aula's migrations table and tables, no migration newer than this binary.
 * Reading a file nobody writes leaves nothing beside it. */
enum db_file_verdict db_inspect_file(const char *path, struct db_file_info *info);

/* Copies the database file from (opened read-only) to the new file to with
 * SQLite's online backup, so a -wal beside from is included. */
bool db_copy_file(const char *from, const char *to, char *err, size_t errlen);
