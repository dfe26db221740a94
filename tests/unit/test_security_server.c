/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The access log never shows a secret: path segments that a route's
 * {token} parameter matches are masked, also in mistyped links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

static void h(request *req, response *res) { (void)req; (void)res; }

static const struct route table[] = {
    {HTTP_GET, "/login", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/login/{token}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/j/{token}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/events/{slug}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/events/{slug}/evaluation/{token}/done", h, ACCESS_PUBLIC, NULL, 0},
};
enum { N = sizeof table / sizeof table[0] };

static const char *masked(const char *path)
{
    static char out[128];
    router_mask_secrets(table, N, path, out, sizeof out);
    return out;
}

static void test_secret_segments_masked(void **state)
{
    (void)state;
    assert_string_equal(masked("/login/abcDEF123_-"), "/login/***");
    assert_string_equal(masked("/j/abcDEF123"), "/j/***");
    assert_string_equal(masked("/events/sela-2022/evaluation/s3cr3t/done"),
                        "/events/sela-2022/evaluation/***/done");
}

static void test_mistyped_links_masked(void **state)
{
    (void)state;
    /* No route matches these, but the secret is still there. */
    assert_string_equal(masked("/login/abc123/"), "/login/***/");
    assert_string_equal(masked("/login/abc123/extra"), "/login/***/extra");
    assert_string_equal(masked("/events/x/evaluation/s3cr3t"), "/events/x/evaluation/***");
}

static void test_other_paths_unchanged(void **state)
{
    (void)state;
    assert_string_equal(masked("/login"), "/login");
    assert_string_equal(masked("/login/"), "/login/");
    assert_string_equal(masked("/events/sela-2022"), "/events/sela-2022");
    assert_string_equal(masked("/loginx/abc"), "/loginx/abc");
    assert_string_equal(masked("/no/such/page"), "/no/such/page");
    assert_string_equal(masked("/"), "/");
}

static void test_output_is_bounded(void **state)
{
    (void)state;
    char small[10];
    router_mask_secrets(table, N, "/login/abcdefghijklmnop", small, sizeof small);
    assert_string_equal(small, "/login/**");
    char longpath[300];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    router_mask_secrets(table, N, longpath, small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
    router_mask_secrets(table, N, NULL, small, sizeof small);
    assert_string_equal(small, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret_segments_masked),
        cmocka_unit_test(test_mistyped_links_masked),
        cmocka_unit_test(test_other_paths_unchanged),
        cmocka_unit_test(test_output_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
