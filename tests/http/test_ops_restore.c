/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula restore: the restore drill (serve, write, back up, stop, damage the
 * database, restore, serve again: the data is back), and the refusals that
 * change nothing: a file that is not a database, a damaged copy, another
 * program's database, one from a newer version, and a running server. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char root[256], data_dir[300], good[400];

static int setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(root, sizeof root);
    snprintf(data_dir, sizeof data_dir, "%s/data", root);
    prepare_demo(data_dir);
    snprintf(good, sizeof good, "%s/good.db", root);
    return 0;
}

/* The server a failed test left running. */
static pid_t running;

static bool start(struct served *s)
{
    bool ok = serve_start(s, data_dir);
    running = ok ? s->pid : 0;
    return ok;
}

static int stop(struct served *s)
{
    running = 0;
    return serve_stop(s, 5000);
}

static int stop_leftover(void **state)
{
    (void)state;
    if (running) {
        struct served s = {.pid = running};
        stop(&s);
        running = 0;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(root);
    curl_global_cleanup();
    return 0;
}

static size_t slurp(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t got = fread(buf, 1, n, f);
    fclose(f);
    return got;
}

/* Overwrites len bytes at offset with a pattern that is no b-tree page. */
static void damage(const char *path, long offset, size_t len)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, SEEK_SET), 0);
    for (size_t i = 0; i < len; i++)
        fputc((int)((i * 131 + 7) & 0xff), f);
    fclose(f);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void copy_file(const char *from, const char *to)
{
    static char buf[8 << 20];
    size_t n = slurp(from, buf, sizeof buf);
    assert_true(n > 0);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, n, f), n);
    fclose(f);
}

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Files in the data directory whose name starts with prefix. */
static int count_named(const char *prefix)
{
    DIR *d = opendir(data_dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void restore_drill(void **state)
{
    (void)state;
    struct served s;
    assert_true(start(&s));
    char cookies[400], token[64], out[4096];
    assert_true(sign_in_admin(&s, cookies, sizeof cookies, token, sizeof token));
    /* Written while the server runs: an account, then the backup. */
    assert_int_equal(run_aula("drill-password-1\n", out, sizeof out, "user", "add", "--data",
                              data_dir, "--role", "coordinator", "drill@example.org", NULL),
                     0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "backup", "--data", data_dir, good, NULL), 0);
    assert_true(stop(&s) == 0);

    /* The disk goes bad under the database. */
    char db[400];
    snprintf(db, sizeof db, "%s/aula.db", data_dir);
    damage(db, file_size(db) / 2, 16384);
    assert_int_equal(run_aula(NULL, out, sizeof out, "doctor", "--data", data_dir, NULL), 1);
    assert_non_null(strstr(out, "FAIL  database:"));
    assert_non_null(strstr(out, "is damaged"));

    static char damaged_bytes[8 << 20], kept_bytes[8 << 20];
    size_t nd = slurp(db, damaged_bytes, sizeof damaged_bytes);
    assert_int_equal(run_aula(NULL, out, sizeof out, "restore", "--data", data_dir, good, NULL), 0);
    assert_non_null(strstr(out, "restored"));
    /* The database it replaced is kept, as it was. */
    const char *k = strstr(out, "kept as ");
    assert_non_null(k);
    char kept[500];
    snprintf(kept, sizeof kept, "%.*s", (int)strcspn(k + 8, "\n"), k + 8);
    assert_int_equal(slurp(kept, kept_bytes, sizeof kept_bytes), nd);
    assert_memory_equal(damaged_bytes, kept_bytes, nd);
    assert_non_null(strstr(out, "the previous database is kept as"));
    assert_int_equal(count_named("aula.db.before-restore-"), 1);
    assert_int_equal(count_named("aula.db.restoring"), 0);
    struct stat st;
    assert_int_equal(stat(db, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);

    /* Serving again: the data is back, passwords included. */
    assert_true(start(&s));
    char v[64];
    db_query(data_dir, "SELECT role FROM account WHERE email = 'drill@example.org'", v, sizeof v);
    assert_string_equal(v, "coordinator");
    db_query(data_dir, "PRAGMA integrity_check", v, sizeof v);
    assert_string_equal(v, "ok");
    assert_true(sign_in(&s, "drill%40example.org", "drill-password-1", cookies, sizeof cookies,
                        token, sizeof token));
    struct http_response r;
    assert_true(get_path(&s, "/events/sela-2022?lang=en", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Cyberdiplomacy"));
    http_free(&r);
    assert_true(stop(&s) == 0);
}

/* Restoring file must fail with exit 1 and one line containing why, and
 * leave aula.db byte for byte as it was, with no copy kept. */
static void refused(const char *file, const char *why)
{
    static char before[8 << 20], after[8 << 20];
    char db[400], out[4096];
    snprintf(db, sizeof db, "%s/aula.db", data_dir);
    size_t nb = slurp(db, before, sizeof before);
    int kept = count_named("aula.db.before-restore-");
    assert_int_equal(run_aula(NULL, out, sizeof out, "restore", "--data", data_dir, file, NULL), 1);
    if (!strstr(out, why))
        fail_msg("expected \"%s\" in: %s", why, out);
    assert_int_equal(lines(out), 1);
    assert_non_null(strstr(out, "nothing was changed"));
    size_t na = slurp(db, after, sizeof after);
    assert_true(nb > 0);
    assert_int_equal(na, nb);
    assert_memory_equal(before, after, nb);
    assert_int_equal(count_named("aula.db.before-restore-"), kept);
    assert_int_equal(count_named("aula.db.restoring"), 0);
}

static void refusals_change_nothing(void **state)
{
    (void)state;
    char out[4096], path[500];
    if (access(good, F_OK) != 0)
        assert_int_equal(run_aula(NULL, out, sizeof out, "backup", "--data", data_dir, good, NULL),
                         0);

    snprintf(path, sizeof path, "%s/notes.txt", root);
    FILE *f = fopen(path, "w");
    fputs("These are not the tables you are looking for.\n", f);
    fclose(f);
    refused(path, "is not an SQLite database");

    snprintf(path, sizeof path, "%s/missing.db", root);
    refused(path, "is not a readable file");

    snprintf(path, sizeof path, "%s/damaged.db", root);
    copy_file(good, path);
    damage(path, file_size(path) / 2, 16384);
    refused(path, "is damaged");

    /* A copy cut short (a full disk, an interrupted transfer). */
    snprintf(path, sizeof path, "%s/truncated.db", root);
    {
        static char buf[8 << 20];
        size_t n = slurp(good, buf, sizeof buf);
        FILE *t = fopen(path, "wb");
        assert_non_null(t);
        assert_int_equal(fwrite(buf, 1, n / 2, t), n / 2);
        fclose(t);
    }
    refused(path, "is damaged");

    snprintf(path, sizeof path, "%s/other.db", root);
    exec_sql(path, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT);"
                   "INSERT INTO note (body) VALUES ('hello');");
    refused(path, "is not an Aula database");

    snprintf(path, sizeof path, "%s/newer.db", root);
    copy_file(good, path);
    exec_sql(path, "INSERT INTO schema_migration (name, applied_at) "
                   "VALUES ('999_from_the_future.sql', '2030-01-01T00:00:00Z')");
    refused(path, "comes from a newer version of Aula");

    /* An older one is fine: its missing migrations run at start-up.  (Into
     * a new data directory, as on a new machine: restore creates it.) */
    snprintf(path, sizeof path, "%s/older.db", root);
    copy_file(good, path);
    exec_sql(path, "DELETE FROM schema_migration WHERE name = "
                   "(SELECT max(name) FROM schema_migration)");
    char fresh[400], db[450];
    snprintf(fresh, sizeof fresh, "%s/new-machine", root);
    assert_int_equal(run_aula(NULL, out, sizeof out, "restore", "--data", fresh, path, NULL), 0);
    assert_non_null(strstr(out, "1 newer migration will be applied when aula serve starts"));
    assert_null(strstr(out, "previous database"));
    snprintf(db, sizeof db, "%s/aula.db", fresh);
    struct stat st;
    assert_int_equal(stat(fresh, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(stat(db, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
}

static void refused_while_serving(void **state)
{
    (void)state;
    char out[4096];
    struct served s;
    assert_true(start(&s));
    refused(good, "in use by a running aula");
    assert_true(stop(&s) == 0);
    /* Stopped: the same file is restored (the lock went with the server). */
    assert_int_equal(run_aula(NULL, out, sizeof out, "restore", "--data", data_dir, good, NULL), 0);
    assert_true(start(&s));
    char v[64];
    db_query(data_dir, "SELECT count(*) FROM account WHERE email = 'drill@example.org'", v,
             sizeof v);
    assert_string_equal(v, "1");
    assert_true(stop(&s) == 0);
}

/* While a restore holds the lock, no other aula command (nor a server)
 * opens the database. */
static void nothing_starts_during_a_restore(void **state)
{
    (void)state;
    char lock[400], out[4096], copy[400];
    snprintf(lock, sizeof lock, "%s/aula.lock", data_dir);
    int fd = open(lock, O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0); /* as aula restore holds it */
    snprintf(copy, sizeof copy, "%s/during.db", root);
    int rc = run_aula(NULL, out, sizeof out, "backup", "--data", data_dir, copy, NULL);
    struct served s;
    bool started = serve_start(&s, data_dir);
    if (started)
        serve_stop(&s, 5000);
    close(fd);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "aula restore is replacing the database"));
    assert_false(started);
    /* Released: both work again. */
    assert_int_equal(run_aula(NULL, out, sizeof out, "backup", "--data", data_dir, copy, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(restore_drill, stop_leftover),
        cmocka_unit_test_teardown(refusals_change_nothing, stop_leftover),
        cmocka_unit_test_teardown(refused_while_serving, stop_leftover),
        cmocka_unit_test(nothing_starts_during_a_restore),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
