/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A bulk action's confirmation previews a language's message only when
 * someone it reaches reads that language: deciding on one English reader
 * shows the English message and no Spanish one, and the other way round;
 * a decision that changes nothing says so, with no preview at all. */
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
static char coord[400], ctoken[64];

#define ENGLISH "polish.english@example.org"
#define SPANISH "polish.spanish@example.org"

static long enrolment_of(const char *email)
{
    char q[300], out[64] = "";
    snprintf(q, sizeof q, "SELECT en.id FROM enrolment en JOIN application a ON"
             " a.id = en.application_id WHERE a.email = '%s'", email);
    db_query(data_dir, q, out, sizeof out);
    return atol(out);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, ENGLISH, "techplomacy");
    add_registered_participant(data_dir, SPANISH, "techplomacy");
    db_query(data_dir, "UPDATE application SET language = 'en' WHERE email = '" ENGLISH "'",
             NULL, 0);
    db_query(data_dir, "UPDATE application SET language = 'es' WHERE email = '" SPANISH "'",
             NULL, 0);
    db_query(data_dir, "UPDATE enrolment SET status = 'submitted' WHERE application_id IN"
             " (SELECT id FROM application WHERE email IN ('" ENGLISH "', '" SPANISH "'))",
             NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

/* The confirmation page of a decision on the given people (0 for none). */
static void decide(const char *decision, long a, long b, struct http_response *r)
{
    char body[400];
    int n = snprintf(body, sizeof body, "csrf=%s&decision=%s", ctoken, decision);
    if (a)
        n += snprintf(body + n, sizeof body - (size_t)n, "&enrolment=%ld", a);
    if (b)
        snprintf(body + n, sizeof body - (size_t)n, "&enrolment=%ld", b);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/applications?course=techplomacy",
                          body, r));
    assert_int_equal(r->status, 200);
}

static void previews_only_the_languages_read(void **state)
{
    (void)state;
    struct http_response r;
    /* One English reader: the English message only. */
    decide("accepted", enrolment_of(ENGLISH), 0, &r);
    assert_non_null(strstr(r.body, "<strong class=\"js-count\">1</strong>"));
    assert_non_null(strstr(r.body, "<h3>Mensaje en ingl\xc3\xa9s</h3>"));
    if (strstr(r.body, "Mensaje en espa\xc3\xb1ol"))
        fail_msg("a Spanish preview for an English reader");
    http_free(&r);
    /* One Spanish reader: the Spanish message only. */
    decide("accepted", enrolment_of(SPANISH), 0, &r);
    assert_non_null(strstr(r.body, "<h3>Mensaje en espa\xc3\xb1ol</h3>"));
    if (strstr(r.body, "Mensaje en ingl\xc3\xa9s"))
        fail_msg("an English preview for a Spanish reader");
    http_free(&r);
    /* Both: both messages. */
    decide("accepted", enrolment_of(ENGLISH), enrolment_of(SPANISH), &r);
    assert_non_null(strstr(r.body, "<strong class=\"js-count\">2</strong>"));
    assert_non_null(strstr(r.body, "<h3>Mensaje en espa\xc3\xb1ol</h3>"));
    assert_non_null(strstr(r.body, "<h3>Mensaje en ingl\xc3\xa9s</h3>"));
    http_free(&r);
}

static void nothing_to_send_is_said(void **state)
{
    (void)state;
    struct http_response r;
    /* No such row: nobody to write to. */
    decide("accepted", 999999, 0, &r);
    assert_non_null(strstr(r.body, "no hay mensajes que enviar"));
    assert_null(strstr(r.body, "mail-preview"));
    assert_null(strstr(r.body, "Mensaje en"));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(previews_only_the_languages_read),
        cmocka_unit_test(nothing_to_send_is_said),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
