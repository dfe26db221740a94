/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where the settings come from: DATA/aula.ini by default, or the file named
 * by --config / AULA_CONFIG (a packaged install's /etc/aula/aula.ini). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/config.h"

struct dirs {
    char root[64];
    char data[128];
    char etc_ini[160];
    char data_ini[160];
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    struct dirs *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->root, sizeof d->root, "/tmp/aula-config-XXXXXX");
    if (!mkdtemp(d->root))
        return -1;
    snprintf(d->data, sizeof d->data, "%s/data", d->root);
    snprintf(d->etc_ini, sizeof d->etc_ini, "%s/etc.ini", d->root);
    snprintf(d->data_ini, sizeof d->data_ini, "%s/aula.ini", d->data);
    if (mkdir(d->data, 0700) != 0)
        return -1;
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    struct dirs *d = *state;
    unlink(d->etc_ini);
    unlink(d->data_ini);
    rmdir(d->data);
    rmdir(d->root);
    free(d);
    return 0;
}

static void init(struct config *c, const struct dirs *d, const char *config_file)
{
    config_defaults(c);
    snprintf(c->data_dir, sizeof c->data_dir, "%s", d->data);
    if (config_file)
        snprintf(c->config_file, sizeof c->config_file, "%s", config_file);
}

static void test_data_dir_ini_by_default(void **state)
{
    struct dirs *d = *state;
    struct config c;
    char err[700] = "";
    init(&c, d, NULL);
    assert_true(config_load_file(&c, err, sizeof err));
    assert_int_equal(c.port, 8080); /* no file: the defaults */
    assert_int_equal(c.threads, 4);

    write_file(d->data_ini, "[server]\nlisten = 127.0.0.1:9001\nthreads = 3\n");
    init(&c, d, NULL);
    assert_true(config_load_file(&c, err, sizeof err));
    assert_int_equal(c.port, 9001);
    assert_int_equal(c.threads, 3);
}

static void test_named_file_replaces_data_dir_ini(void **state)
{
    struct dirs *d = *state;
    struct config c;
    char err[700] = "";
    write_file(d->data_ini, "[server]\nlisten = 127.0.0.1:9001\nthreads = 3\n");
    write_file(d->etc_ini, "[server]\nlisten = 127.0.0.2:9002\n"
                           "[mail]\nfrom = Aula <aula@example.org>\n");
    init(&c, d, d->etc_ini);
    assert_true(config_load_file(&c, err, sizeof err));
    assert_string_equal(c.listen_addr, "127.0.0.2");
    assert_int_equal(c.port, 9002);
    assert_string_equal(c.mail_from, "Aula <aula@example.org>");
    /* The data directory's file is not read on top of the named one. */
    assert_int_equal(c.threads, 4);
}

static void test_named_file_must_exist(void **state)
{
    struct dirs *d = *state;
    struct config c;
    char err[700] = "";
    write_file(d->data_ini, "[server]\nthreads = 3\n");
    init(&c, d, d->etc_ini); /* etc.ini was never written */
    assert_false(config_load_file(&c, err, sizeof err));
    assert_non_null(strstr(err, d->etc_ini));
    assert_int_equal(c.threads, 4);
}

static void test_named_file_faults_refused(void **state)
{
    struct dirs *d = *state;
    struct config c;
    char err[700] = "";
    write_file(d->etc_ini, "[server]\nlisten = 127.0.0.1:8081\nthreads = 0\n");
    init(&c, d, d->etc_ini);
    assert_false(config_load_file(&c, err, sizeof err));
    assert_non_null(strstr(err, "line 3"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_data_dir_ini_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_named_file_replaces_data_dir_ini, setup, teardown),
        cmocka_unit_test_setup_teardown(test_named_file_must_exist, setup, teardown),
        cmocka_unit_test_setup_teardown(test_named_file_faults_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
