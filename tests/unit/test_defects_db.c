/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The storage's failure flag: a read the database refuses (busy past the
 * timeout) is remembered for the request, so that it answers 503 instead of
 * an empty page; an honest "no rows" is not a failure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"

static char dir[] = "/tmp/aula-defects-db-XXXXXX";
static char path[200];

static void busy_read_is_a_failure_and_no_rows_is_not(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.db", dir);

    /* Another connection holds the database exclusively (as a process in
       exclusive locking mode would) before this thread's connection opens. */
    sqlite3 *other;
    assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "PRAGMA journal_mode=WAL; CREATE TABLE t (x);"
                                         " PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;"
                                         " INSERT INTO t VALUES (1);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    db_configure(path);
    db_take_failure();
    sqlite3_stmt *st = db_stmt("SELECT x FROM t");
    if (st) {
        while (sqlite3_step(st) == SQLITE_ROW)
            ;
        sqlite3_reset(st);
    }
    assert_true(db_take_failure());
    assert_false(db_take_failure()); /* taking it clears it */
    sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(other);
    db_close_all();

    /* Free again: rows, then no rows, and neither is a failure. */
    st = db_stmt("SELECT x FROM t");
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    sqlite3_reset(st);
    st = db_stmt("SELECT x FROM t WHERE x = 2");
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_reset(st);
    assert_false(db_take_failure());
    db_close_all();
    char f[260];
    const char *const suffixes[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(f, sizeof f, "%s%s", path, suffixes[i]);
        unlink(f);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(busy_read_is_a_failure_and_no_rows_is_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
