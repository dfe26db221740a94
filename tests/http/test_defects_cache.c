/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the page cache's freshness: a change made by another
 * process (`aula import`, a direct write) is seen on the next request, and a
 * change never hides behind a page served concurrently. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    return serve_start(&srv, data_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* The body of GET path (Spanish: the cache's key has no query string). */
static char *get_body(const char *path, long *status)
{
    const char *h[] = {"Accept-Language: es", NULL};
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    *status = r.status;
    char *b = r.body ? strdup(r.body) : strdup("");
    http_free(&r);
    return b;
}

static void import_from_another_process_is_seen(void **state)
{
    (void)state;
    long st;
    for (int i = 0; i < 2; i++) { /* rendered, then served from the cache */
        char *b = get_body("/events/sela-2022", &st);
        assert_int_equal(st, 200);
        assert_null(strstr(b, "Programa renovado por importación"));
        free(b);
    }
    /* The same programme with a new Spanish title, imported by `aula import`. */
    char src[512], dst[600];
    source_path("examples/sela-2022/programme.json", src, sizeof src);
    FILE *f = fopen(src, "rb");
    assert_non_null(f);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *old = "Programa de capacitación para Altos Funcionarios en la era digital";
    char *at = strstr(text, old);
    assert_non_null(at);
    snprintf(dst, sizeof dst, "%s/renamed.json", data_dir);
    f = fopen(dst, "wb");
    assert_non_null(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs("Programa renovado por importación", f);
    fputs(at + strlen(old), f);
    fclose(f);
    char out[4096];
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", data_dir, dst, NULL), 0);

    char *b = get_body("/events/sela-2022", &st);
    assert_int_equal(st, 200);
    assert_non_null(strstr(b, "Programa renovado por importación"));
    free(b);
}

static atomic_bool stop;
static atomic_int served;

static void *reader(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        long st;
        free(get_body("/events/sela-2022/courses/cyberdiplomacy", &st));
        atomic_fetch_add(&served, 1);
    }
    return NULL;
}

static void changes_while_pages_are_served_are_never_hidden(void **state)
{
    (void)state;
    pthread_t t[3];
    atomic_store(&stop, false);
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
    int stale = 0;
    for (int i = 1; i <= 30; i++) {
        char sql[200], want[64];
        snprintf(want, sizeof want, "Ciberdiplomacia versión %d", i);
        snprintf(sql, sizeof sql,
                 "UPDATE course SET title_es = '%s' WHERE slug = 'cyberdiplomacy'", want);
        db_query(data_dir, sql, NULL, 0); /* committed when it returns */
        for (int k = 0; k < 3; k++) {
            long st;
            char *b = get_body("/events/sela-2022/courses/cyberdiplomacy", &st);
            assert_int_equal(st, 200);
            if (!strstr(b, want))
                stale++;
            free(b);
        }
    }
    atomic_store(&stop, true);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    assert_true(atomic_load(&served) > 30); /* the readers did run alongside */
    assert_int_equal(stale, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_from_another_process_is_seen),
        cmocka_unit_test(changes_while_pages_are_served_are_never_hidden),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
