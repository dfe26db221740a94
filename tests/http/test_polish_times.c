/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A participant's own times that cross midnight say so: 09:00–13:00 in
 * Caracas is 22:00–02:00 in Tokyo, which ends the next day, on /me and in
 * the invitation; a participant whose day is another date (Auckland) is
 * given their own date; one whose times stay within the day (Lima) gets no
 * such words. */
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

#define TOKYO "polish.tokyo@example.org"
#define LIMA "polish.lima@example.org"
#define AUCKLAND "polish.auckland@example.org"
#define DASH "\xe2\x80\x93"

static void participant(const char *email, const char *lang, const char *tz)
{
    char q[400];
    add_registered_participant(data_dir, email, "cyberdiplomacy");
    snprintf(q, sizeof q, "UPDATE application SET language = '%s', time_zone = '%s'"
                          " WHERE email = '%s'", lang, tz, email);
    db_query(data_dir, q, NULL, 0);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    participant(TOKYO, "en", "Asia/Tokyo");
    participant(LIMA, "es", "America/Lima");
    participant(AUCKLAND, "en", "Pacific/Auckland");
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

/* The course's days on /me for a participant, in English or Spanish. */
static char *me_days(const char *email, const char *lang)
{
    char cookies[400], token[64], path[40];
    assert_true(sign_in_by_link(&srv, data_dir, email, cookies, sizeof cookies, token,
                                sizeof token));
    const char *h[] = {cookies, NULL};
    struct http_response r;
    snprintf(path, sizeof path, "/me?lang=%s", lang);
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    const char *days = strstr(r.body, "course-days");
    if (!days)
        fail_msg("no days on /me for %s", email);
    char *out = strdup(days);
    http_free(&r);
    return out;
}

static void me_says_next_day(void **state)
{
    (void)state;
    char *days = me_days(TOKYO, "en");
    if (!strstr(days, "22:00</time>" DASH "02:00 (ending the next day)"))
        fail_msg("Tokyo's /me: %.300s", days);
    free(days);
    days = me_days(TOKYO, "es");
    if (!strstr(days, "22:00</time>" DASH "02:00 (termina al d\xc3\xad" "a siguiente)"))
        fail_msg("Tokyo's /me in Spanish: %.300s", days);
    free(days);
    /* Lima's 08:00–12:00 stays within the day. */
    days = me_days(LIMA, "en");
    assert_non_null(strstr(days, "08:00</time>" DASH "12:00</li>"));
    assert_null(strstr(days, "next day"));
    free(days);
}

static void invitation_says_next_day(void **state)
{
    (void)state;
    const char *h[] = {admin, NULL};
    struct http_response r;
    const char *path = "/admin/events/sela-2022/courses/cyberdiplomacy/invitations";
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    if (!strstr(r.body, "(your time: 22:00" DASH "02:00 Tokyo, ending the next day)"))
        fail_msg("no next day in the preview");
    assert_non_null(strstr(r.body, "(en su zona: 08:00" DASH "12:00 Lima)"));
    http_free(&r);
    char body[100];
    snprintf(body, sizeof body, "csrf=%s", atoken);
    assert_true(post_confirmed(&srv, admin, path, body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char text[8192] = "";
    db_query(data_dir, "SELECT body_text FROM outbox WHERE kind = 'invitation'"
                       " AND to_addr = '" TOKYO "'", text, sizeof text);
    if (!strstr(text, "Monday, 21 March 2022, 09:00" DASH "13:00 (your time: 22:00" DASH
                      "02:00 Tokyo, ending the next day)"))
        fail_msg("Tokyo's invitation: %.600s", text);
    /* Auckland's 02:00–06:00 is on Tuesday: their own date, and no
     * "next day", for the session ends on the date it starts. */
    db_query(data_dir, "SELECT body_text FROM outbox WHERE kind = 'invitation'"
                       " AND to_addr = '" AUCKLAND "'", text, sizeof text);
    if (!strstr(text, "Monday, 21 March 2022, 09:00" DASH "13:00 (your time: Tuesday, 22 March"
                      " 2022, 02:00" DASH "06:00 Auckland)"))
        fail_msg("Auckland's invitation: %.600s", text);
    db_query(data_dir, "SELECT body_text FROM outbox WHERE kind = 'invitation'"
                       " AND to_addr = '" LIMA "'", text, sizeof text);
    assert_non_null(strstr(text, "08:00" DASH "12:00 Lima)"));
    assert_null(strstr(text, "siguiente"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(me_says_next_day),
        cmocka_unit_test(invitation_says_next_day),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
