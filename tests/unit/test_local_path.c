/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* After signing in, "next" is followed only to a path on this site
 * (src/http/local_path.c), whatever a link made by someone else says. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/local_path.h"

static void other_hosts_and_schemes_are_refused(void **state)
{
    (void)state;
    const char *evil[] = {
        "//evil.example",            /* scheme-relative: another host */
        "///evil.example",
        "//evil.example/me",
        "/\\evil.example",           /* browsers read \ as / */
        "/\\/evil.example",
        "\\\\evil.example",
        "\\/evil.example",
        "%2f%2fevil.example",        /* still encoded: not a path at all */
        "%2F%5Cevil.example",
        "https://evil.example/me",
        "http:/evil.example",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "me",
        "",
        " /me",                      /* leading space */
        "\t//evil.example",
    };
    for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
        if (local_path_ok(evil[i]))
            fail_msg("accepted %s", evil[i]);
        assert_string_equal(local_path_or(evil[i], "/me"), "/me");
    }
    assert_false(local_path_ok(NULL));
    assert_string_equal(local_path_or(NULL, "/admin"), "/admin");
}

static void control_characters_are_refused(void **state)
{
    (void)state;
    const char *evil[] = {
        "/\r\nSet-Cookie: aula_session=x", /* a header of its own */
        "/me\r\nLocation: //evil.example",
        "/\n//evil.example",
        "/\t/evil.example",          /* browsers drop the tab: //evil.example */
        "/me\x01",
        "/me\x1f",
        "/me\x7f",
        "/me evil",                  /* a raw space is no URL; %20 is */
    };
    for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
        if (local_path_ok(evil[i]))
            fail_msg("accepted entry %zu", i);
        assert_string_equal(local_path_or(evil[i], "/me"), "/me");
    }
}

static void paths_on_this_site_are_followed(void **state)
{
    (void)state;
    const char *good[] = {
        "/",
        "/me",
        "/admin/outbox",
        "/courses/cyberdiplomacy?tab=materials&lang=en#top",
        "/search?q=a%20b",
        "/%2F%2Fevil.example",       /* encoded slashes stay in this site's path */
        "/a//b",                     /* doubled slashes later in the path are a path */
        "/a\\b",
        "/cursos/a\xc3\xb1o",       /* UTF-8 in a path */
        "/javascript:alert(1)",      /* a (strange) path on this site */
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (!local_path_ok(good[i]))
            fail_msg("refused %s", good[i]);
        assert_ptr_equal(local_path_or(good[i], "/me"), good[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(other_hosts_and_schemes_are_refused),
        cmocka_unit_test(control_characters_are_refused),
        cmocka_unit_test(paths_on_this_site_are_followed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
