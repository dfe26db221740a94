/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Masking secrets in the access log (router_mask_secrets) with route
 * tables other than the site's: the first route, parameters that only look
 * like {token}, two routes that both have one, and empty segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/router.h"

static void h(request *req, response *res) { (void)req; (void)res; }

static const struct route table[] = {
    {HTTP_GET, "/login/{token}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/a/{tokex}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/b/{tokens}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/c/{group}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/r/{space}/{token}", h, ACCESS_PUBLIC, NULL, 0},
};
enum { N = sizeof table / sizeof table[0] };

/* Two routes that both fit "/login/x". */
static const struct route overlapping[] = {
    {HTTP_GET, "/login/{token}", h, ACCESS_PUBLIC, NULL, 0},
    {HTTP_GET, "/{space}/{token}", h, ACCESS_PUBLIC, NULL, 0},
};

static const char *masked(const char *path)
{
    static char out[128];
    router_mask_secrets(table, N, path, out, sizeof out);
    return out;
}

static void the_first_route_counts(void **state)
{
    (void)state;
    assert_string_equal(masked("/login/s3cr3t"), "/login/***");
    assert_string_equal(masked("/login/s3cr3t/more"), "/login/***/more");
}

static void only_a_parameter_named_token_is_secret(void **state)
{
    (void)state;
    assert_string_equal(masked("/a/visible"), "/a/visible");
    assert_string_equal(masked("/b/visible"), "/b/visible");
    assert_string_equal(masked("/c/visible"), "/c/visible");
    assert_string_equal(masked("/r/room/s3cr3t"), "/r/room/***");
}

static void the_first_route_that_masks_decides(void **state)
{
    (void)state;
    /* "/login/x" also fits "/{space}/{token}": masked once, not twice. */
    char out[64];
    router_mask_secrets(overlapping, 2, "/login/abc", out, sizeof out);
    assert_string_equal(out, "/login/***");
    router_mask_secrets(overlapping, 2, "/room/abc", out, sizeof out);
    assert_string_equal(out, "/room/***");
}

static void empty_segments_hold_no_secret(void **state)
{
    (void)state;
    assert_string_equal(masked("/login//more"), "/login//more");
    assert_string_equal(masked("/r//s3cr3t"), "/r//s3cr3t");
    char out[1] = {'x'};
    router_mask_secrets(table, N, "/login/abc", out, 0); /* no room: nothing written */
    assert_int_equal(out[0], 'x');
    router_mask_secrets(table, N, "/login/abc", out, 1);
    assert_int_equal(out[0], '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_first_route_counts),
        cmocka_unit_test(only_a_parameter_named_token_is_secret),
        cmocka_unit_test(the_first_route_that_masks_decides),
        cmocka_unit_test(empty_segments_hold_no_secret),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
