/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /me follows the programme to its end: a scripted course moves from
 * accepted to certified by changing the facts in the database, and at each
 * stage the page says the right status and next step; withdrawing is
 * offered, and accepted, only before the course starts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char cookies[400], token[64];
/* The page last read by course(), freed by the next call and at the end. */
static json_t *last_page;

#define WHO "me-stage@example.org"
#define ENROLMENT "(SELECT en.id FROM enrolment en JOIN application a ON a.id = en.application_id" \
                  " WHERE a.email = '" WHO "')"
#define ISO "'%Y-%m-%dT%H:%M:%SZ'"

/* Moves every block by a SQLite time modifier ("+10 years"). */
static void shift_course(const char *modifier)
{
    char q[600];
    snprintf(q, sizeof q,
             "UPDATE time_block SET start_utc = strftime(%s, start_utc, '%s'),"
             " end_utc = strftime(%s, end_utc, '%s')", ISO, modifier, ISO, modifier);
    db_query(data_dir, q, NULL, 0);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, WHO, "cyberdiplomacy");
    db_query(data_dir, "UPDATE enrolment SET status = 'accepted' WHERE id = " ENROLMENT, NULL, 0);
    /* The demo's 2022 course, moved ten years ahead: not started yet. */
    shift_course("+10 years");
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_by_link(&srv, data_dir, WHO, cookies, sizeof cookies, token, sizeof token)
               ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    json_decref(last_page);
    demo_teardown(&srv, data_dir);
    return 0;
}

/* The participant's only course on /me?format=json (English texts). */
static json_t *course(void)
{
    struct http_response r;
    const char *h[] = {cookies, NULL};
    assert_true(get_path(&srv, "/me?format=json&lang=en", h, &r));
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(j);
    json_decref(last_page);
    last_page = j;
    json_t *apps = json_object_get(j, "applications");
    assert_int_equal(json_array_size(apps), 1);
    json_t *en = json_object_get(json_array_get(apps, 0), "enrolments");
    assert_int_equal(json_array_size(en), 1);
    return json_array_get(en, 0);
}

static char *me_html(void)
{
    struct http_response r;
    const char *h[] = {cookies, NULL};
    assert_true(get_path(&srv, "/me?lang=en", h, &r));
    assert_int_equal(r.status, 200);
    char *body = strdup(r.body);
    http_free(&r);
    return body;
}

static void contains(const char *html, const char *part)
{
    if (!strstr(html, part)) {
        const char *days = strstr(html, "course-days");
        fail_msg("\"%s\" not on /me; its days: %.400s", part, days ? days : html);
    }
}

static void expect(const char *stage, const char *step_part, bool withdraw)
{
    json_t *c = course();
    const char *got = json_string_value(json_object_get(c, "stage"));
    if (!got)
        fail_msg("/me names no stage (expected %s)", stage);
    assert_string_equal(got, stage);
    const char *step = json_string_value(json_object_get(json_object_get(c, "next_step"), "en"));
    assert_non_null(step);
    if (!strstr(step, step_part))
        fail_msg("stage %s: next step \"%s\" lacks \"%s\"", stage, step, step_part);
    assert_int_equal(json_is_true(json_object_get(c, "can_withdraw")), withdraw);
    char *html = me_html();
    assert_int_equal(strstr(html, "action=\"/me/withdraw\"") != NULL, withdraw);
    assert_non_null(strstr(html, step));
    free(html);
}

static void follows_the_programme(void **state)
{
    (void)state;
    expect("accepted", "registration form", true);
    char *html = me_html();
    assert_non_null(strstr(html, "/register\""));
    /* Each day with its times, in the edition's zone before registering. */
    contains(html, "Sunday, 21 March 2032, 09:00</time>");
    free(html);

    db_query(data_dir, "UPDATE enrolment SET status = 'registered' WHERE id = " ENROLMENT, NULL, 0);
    db_query(data_dir, "UPDATE application SET time_zone = 'Europe/Madrid' WHERE email = '" WHO "'",
             NULL, 0);
    expect("registered", "You will receive the invitation", true);
    html = me_html();
    /* Now in the zone the participant gave: 09:00 in Caracas is 14:00 in Madrid. */
    contains(html, "Sunday, 21 March 2032, 14:00</time>");
    free(html);

    db_query(data_dir, "INSERT INTO invitation (enrolment_id, uid, sequence, schedule, sent_at)"
                       " SELECT " ENROLMENT ", 'uid-me-stage', 0, '', '2026-01-01T00:00:00Z'",
             NULL, 0);
    expect("invited", "calendar", true);
    html = me_html();
    assert_non_null(strstr(html, "href=\"/j/"));
    assert_non_null(strstr(html, "/events/sela-2022/courses/cyberdiplomacy/calendar.ics"));
    free(html);
}

static void no_withdrawing_once_started(void **state)
{
    (void)state;
    /* The first block began an hour ago; the last ends in a day. */
    db_query(data_dir, "UPDATE time_block SET start_utc = strftime(" ISO ", 'now', '-1 hour'),"
                       " end_utc = strftime(" ISO ", 'now', '+1 day')", NULL, 0);
    expect("in_session", "personal link", false);
    char body[200];
    char id[32];
    db_query(data_dir, "SELECT " ENROLMENT, id, sizeof id);
    snprintf(body, sizeof body, "csrf=%s&enrolment=%s", token, id);
    struct http_response r;
    assert_true(post_form(&srv, cookies, "/me/withdraw", body, &r));
    assert_int_equal(r.status, 409);
    http_free(&r);
    char status[32];
    db_query(data_dir, "SELECT status FROM enrolment WHERE id = " ENROLMENT, status, sizeof status);
    assert_string_equal(status, "registered");
}

static void after_the_course(void **state)
{
    (void)state;
    db_query(data_dir, "UPDATE time_block SET start_utc = strftime(" ISO ", 'now', '-3 days'),"
                       " end_utc = strftime(" ISO ", 'now', '-2 days')", NULL, 0);
    /* While the course's evaluation is open, answering it comes first ... */
    db_query(data_dir, "UPDATE questionnaire SET opens_at = strftime(" ISO ", 'now', '-1 days'),"
                       " closes_at = strftime(" ISO ", 'now', '+10 days')", NULL, 0);
    expect("evaluation", "Answer the course evaluation", false);
    /* ... and once it is closed, attendance is what is awaited. */
    db_query(data_dir, "UPDATE questionnaire SET closes_at = strftime(" ISO ", 'now', '-1 hours')",
             NULL, 0);
    expect("attendance_pending", "recording attendance", false);
    db_query(data_dir, "INSERT INTO certificate (number, enrolment_id, facts, signature, key_id,"
                       " issued_at, issued_by) SELECT 'SELA-2022-CYB-0001-TESTTEST', " ENROLMENT
                       ", '{}', 'x', 'k', '2026-01-01T00:00:00Z', 'admin@example.org'", NULL, 0);
    expect("certified", "Download your certificate", false);
    char *html = me_html();
    /* The credential is explained, and its file offered under the explanation. */
    const char *why = strstr(html, "add it to a digital wallet or a professional profile");
    const char *file = strstr(html, "/certificates/SELA-2022-CYB-0001-TESTTEST.jwt");
    assert_non_null(why);
    assert_non_null(file);
    assert_true(file > why);
    assert_null(strstr(html, "Open Badges</a>"));
    free(html);
}

static void withdrawing_before_the_start(void **state)
{
    (void)state;
    db_query(data_dir, "DELETE FROM certificate", NULL, 0);
    shift_course("+1 years");
    expect("invited", "calendar", true);
    char body[200], id[32];
    db_query(data_dir, "SELECT " ENROLMENT, id, sizeof id);
    snprintf(body, sizeof body, "csrf=%s&enrolment=%s", token, id);
    struct http_response r;
    assert_true(post_form(&srv, cookies, "/me/withdraw", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char status[32];
    db_query(data_dir, "SELECT status FROM enrolment WHERE id = " ENROLMENT, status, sizeof status);
    assert_string_equal(status, "withdrawn");
    expect("closed", "Nothing more", false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(follows_the_programme),
        cmocka_unit_test(no_withdrawing_once_started),
        cmocka_unit_test(after_the_course),
        cmocka_unit_test(withdrawing_before_the_start),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
