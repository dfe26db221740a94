/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box test of the times an invitation gives in the participant's own
 * zone: named by the place, as their page says it ("22:00–02:00 Tokyo"),
 * never by the zone's internal name ("Asia/Tokyo"); in the preview the
 * coordinator sees and in the message delivered. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
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
    add_registered_participant(data_dir, "walk.tokyo@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET language = 'en', time_zone = 'Asia/Tokyo',"
                       " city = 'Tokyo' WHERE email = 'walk.tokyo@example.org'", NULL, 0);
    add_registered_participant(data_dir, "walk.lima@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET time_zone = 'America/Lima', city = 'Lima'"
                       " WHERE email = 'walk.lima@example.org'", NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

static void invitation_names_the_place_of_their_time(void **state)
{
    (void)state;
    const char *h[] = {admin, NULL};
    struct http_response r;
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/invitations", h,
                         &r));
    assert_int_equal(r.status, 200);
    /* 09:00–13:00 in Caracas is 22:00–02:00 in Tokyo and 08:00–12:00 in Lima. */
    assert_non_null(strstr(r.body, "(your time: 22:00\xe2\x80\x93" "02:00 Tokyo"));
    assert_non_null(strstr(r.body, "(en su zona: 08:00\xe2\x80\x93" "12:00 Lima)"));
    assert_null(strstr(r.body, "Asia/Tokyo"));
    assert_null(strstr(r.body, "America/Lima"));
    http_free(&r);
    char body[100];
    snprintf(body, sizeof body, "csrf=%s", atoken);
    assert_true(post_confirmed(&srv, admin,
                               "/admin/events/sela-2022/courses/cyberdiplomacy/invitations", body,
                               &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char text[8192] = "";
    db_query(data_dir, "SELECT body_text FROM outbox WHERE kind = 'invitation'"
                       " AND to_addr = 'walk.tokyo@example.org'", text, sizeof text);
    assert_non_null(strstr(text, "22:00\xe2\x80\x93" "02:00 Tokyo"));
    assert_null(strstr(text, "Asia/Tokyo"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invitation_names_the_place_of_their_time),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
