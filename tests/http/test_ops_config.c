/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One configuration for the pages (struct app_config, app_origin): the
 * public address links and cookies use is the configuration's base_url,
 * else the one an administrator stored in the console (kept across a
 * restart), else the listening address; the console cannot change a
 * configured one; the upload limit the pages show is the configuration's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    unsetenv("AULA_BASE_URL");
    unsetenv("AULA_MAX_UPLOAD_MB");
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    unsetenv("AULA_BASE_URL");
    unsetenv("AULA_MAX_UPLOAD_MB");
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

/* Restarts the server (with the environment as it is now) and signs in again. */
static void restart(void)
{
    assert_int_equal(serve_stop(&srv, 5000), 0);
    assert_true(serve_start(&srv, data_dir));
    assert_true(sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken));
}

/* The address the API's links start with (the first edition's "url"). */
static void api_link(char *out, size_t n)
{
    struct http_response r;
    assert_true(get_path(&srv, "/api/v1/events", NULL, &r));
    assert_int_equal(r.status, 200);
    json_error_t e;
    json_t *list = json_loads(r.body, 0, &e);
    assert_non_null(list);
    json_t *first = json_is_array(list) ? json_array_get(list, 0)
                                        : json_array_get(json_object_get(list, "events"), 0);
    const char *url = json_string_value(json_object_get(first, "url"));
    assert_non_null(url);
    snprintf(out, n, "%s", url);
    json_decref(list);
    http_free(&r);
}

/* Whether a fresh visitor's CSRF cookie is marked Secure. */
static bool cookie_secure(void)
{
    struct http_response r;
    assert_true(get_path(&srv, "/login", NULL, &r));
    assert_int_equal(r.status, 200);
    const char *c = strstr(r.headers, "aula_csrf=");
    assert_non_null(c);
    const char *eol = strchr(c, '\n');
    bool secure = false;
    const char *s = strstr(c, "; Secure");
    if (s && (!eol || s < eol))
        secure = true;
    http_free(&r);
    return secure;
}

static long post_address(const char *address)
{
    char body[400];
    snprintf(body, sizeof body, "csrf=%s&base_url=%s", atoken, address);
    struct http_response r;
    assert_true(post_form(&srv, admin, "/admin/settings/address", body, &r));
    long status = r.status;
    http_free(&r);
    return status;
}

static void stored_address(char *out, size_t n)
{
    db_query(data_dir, "SELECT value FROM site_setting WHERE name = 'base_url'", out, n);
}

static void the_console_address_is_used_and_kept(void **state)
{
    (void)state;
    char link[300], want[300], stored[200];
    /* Nothing configured: the listening address, no Secure cookies. */
    api_link(link, sizeof link);
    snprintf(want, sizeof want, "http://localhost:%d/api/v1/events/", srv.port);
    assert_memory_equal(link, want, strlen(want));
    assert_false(cookie_secure());

    /* Refused: not an origin. */
    assert_int_equal(post_address("ftp%3A%2F%2Faula.example.org"), 422);
    assert_int_equal(post_address("https%3A%2F%2Faula.example.org%2Fpath"), 422);
    stored_address(stored, sizeof stored);
    assert_string_equal(stored, "");
    api_link(link, sizeof link);
    assert_memory_equal(link, want, strlen(want));

    /* Accepted: links and cookies follow at once. */
    assert_int_equal(post_address("https%3A%2F%2Faula.example.org%2F"), 303);
    stored_address(stored, sizeof stored);
    assert_string_equal(stored, "https://aula.example.org");
    api_link(link, sizeof link);
    assert_string_equal(link, "https://aula.example.org/api/v1/events/sela-2022");
    assert_true(cookie_secure());

    /* And after a restart, read back from the database. */
    restart();
    api_link(link, sizeof link);
    assert_string_equal(link, "https://aula.example.org/api/v1/events/sela-2022");
    assert_true(cookie_secure());
}

static void a_configured_address_wins_and_cannot_be_changed(void **state)
{
    (void)state;
    setenv("AULA_BASE_URL", "http://configured.example.org", 1);
    restart();
    char link[300], stored[200];
    api_link(link, sizeof link);
    assert_string_equal(link, "http://configured.example.org/api/v1/events/sela-2022");
    assert_false(cookie_secure()); /* the configured one is http */
    assert_int_equal(post_address("https%3A%2F%2Fother.example.org"), 409);
    stored_address(stored, sizeof stored);
    assert_string_equal(stored, "https://aula.example.org");
    api_link(link, sizeof link);
    assert_string_equal(link, "http://configured.example.org/api/v1/events/sela-2022");
    unsetenv("AULA_BASE_URL");
}

static void the_upload_limit_shown_is_the_configured_one(void **state)
{
    (void)state;
    setenv("AULA_MAX_UPLOAD_MB", "3", 1);
    restart();
    const char *h[] = {admin, "Accept: application/json", NULL};
    struct http_response r;
    assert_true(get_path(&srv, "/admin/events/sela-2022/materials", h, &r));
    assert_int_equal(r.status, 200);
    json_error_t e;
    json_t *page = json_loads(r.body, 0, &e);
    assert_non_null(page);
    assert_string_equal(json_string_value(json_object_get(page, "limit_label")), "3 MB");
    json_decref(page);
    http_free(&r);
    unsetenv("AULA_MAX_UPLOAD_MB");
    restart();
    assert_true(get_path(&srv, "/admin/events/sela-2022/materials", h, &r));
    page = json_loads(r.body, 0, &e);
    assert_non_null(page);
    assert_string_equal(json_string_value(json_object_get(page, "limit_label")), "1 GB");
    json_decref(page);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_console_address_is_used_and_kept),
        cmocka_unit_test(a_configured_address_wins_and_cannot_be_changed),
        cmocka_unit_test(the_upload_limit_shown_is_the_configured_one),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
