/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the console's home: where each course stands and the
 * next steps, which change as the Secretariat does each of them. */
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
static char coord[400], ctoken[64];
static char trainer[400], ttoken[64];

static const char *const course_en = "Specialisation course on Cyberdiplomacy";

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "reg1@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "reg2@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "new@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE enrolment SET status = 'submitted' WHERE application_id ="
                       " (SELECT id FROM application WHERE email = 'new@example.org')", NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord, sizeof coord,
                   ctoken, sizeof ctoken) &&
           sign_in(&srv, "trainer%40example.org", "trainer-password-1", trainer, sizeof trainer,
                   ttoken, sizeof ttoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static json_t *home(const char *who)
{
    struct http_response r;
    const char *h[] = {who, NULL};
    assert_true(get_path(&srv, "/admin?format=json", h, &r));
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(j);
    return j;
}

static json_t *edition(json_t *h)
{
    return json_array_get(json_object_get(h, "editions"), 0);
}

/* True when one of the edition's next steps reads text in English. */
static bool has_step(json_t *h, const char *text)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(edition(h), "next_steps"), i, s) {
        const char *en = json_string_value(json_object_get(json_object_get(s, "text"), "en"));
        if (en && strcmp(en, text) == 0)
            return true;
    }
    return false;
}

static json_t *course_row(json_t *h, const char *slug)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(edition(h), "courses"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "slug")), slug) == 0)
            return c;
    fail_msg("no course %s", slug);
    return NULL;
}

static void counts_per_course(void **state)
{
    (void)state;
    json_t *h = home(coord);
    json_t *c = course_row(h, "cyberdiplomacy");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "status"), "submitted")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "status"), "registered")), 2);
    assert_int_equal(json_integer_value(json_object_get(c, "taken")), 2);
    assert_int_equal(json_integer_value(json_object_get(c, "invited")), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "days_imported")), 0);
    assert_true(json_integer_value(json_object_get(c, "days_total")) >= 2);
    json_t *t = course_row(h, "techplomacy");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(t, "status"), "registered")), 0);
    /* The edition's status is a word for people, not the stored value. */
    assert_string_equal(json_string_value(json_object_get(json_object_get(edition(h), "status_label"),
                                                          "en")), "Published");
    json_decref(h);
}

static void steps_follow_the_work(void **state)
{
    (void)state;
    char text[300];
    json_t *h = home(coord);
    snprintf(text, sizeof text, "1 application to %s awaits a decision", course_en);
    assert_true(has_step(h, text));
    snprintf(text, sizeof text, "2 registered participants of %s have not been invited yet", course_en);
    assert_true(has_step(h, text));
    snprintf(text, sizeof text, "%s: no attendance imported for Monday, 21 March 2022", course_en);
    assert_true(has_step(h, text));
    assert_false(has_step(h, "1 message could not be delivered"));
    json_decref(h);

    /* The decision is taken, the invitations sent, a day imported. */
    db_query(data_dir, "UPDATE enrolment SET status = 'rejected' WHERE status = 'submitted'", NULL, 0);
    db_query(data_dir, "INSERT INTO invitation (enrolment_id, uid, sequence, schedule, sent_at)"
                       " SELECT id, 'uid-' || id, 0, '', '2022-03-01T00:00:00Z' FROM enrolment"
                       " WHERE status = 'registered'", NULL, 0);
    db_query(data_dir, "INSERT INTO attendance_import (course_day_id, time_zone, shape, rows,"
                       " imported_at, imported_by) SELECT d.id, 'America/Caracas', 'participants', 0,"
                       " '2022-03-22T00:00:00Z', 'test' FROM course_day d JOIN course c"
                       " ON c.id = d.course_id WHERE c.slug = 'cyberdiplomacy' AND d.day = '2022-03-21'",
             NULL, 0);
    /* And one message failed. */
    db_query(data_dir, "INSERT INTO outbox (created_at, kind, to_addr, language, subject, body_text,"
                       " application_id, status, last_error) SELECT '2022-03-01T00:00:00Z', 'test',"
                       " email, 'en', 'Subject', 'Body', id, 'failed', '550 no such user'"
                       " FROM application WHERE email = 'reg1@example.org'", NULL, 0);
    h = home(coord);
    snprintf(text, sizeof text, "1 application to %s awaits a decision", course_en);
    assert_false(has_step(h, text));
    snprintf(text, sizeof text, "2 registered participants of %s have not been invited yet", course_en);
    assert_false(has_step(h, text));
    snprintf(text, sizeof text, "%s: no attendance imported for Monday, 21 March 2022", course_en);
    assert_false(has_step(h, text));
    snprintf(text, sizeof text, "%s: no attendance imported for Tuesday, 22 March 2022", course_en);
    assert_true(has_step(h, text));
    assert_true(has_step(h, "1 message could not be delivered"));
    /* Failed mail comes first. */
    json_t *first = json_array_get(json_object_get(edition(h), "next_steps"), 0);
    assert_true(json_is_true(json_object_get(first, "urgent")));
    json_decref(h);
}

static void spanish_steps(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin?lang=es", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Próximos pasos"));
    assert_non_null(strstr(r.body, "no se ha importado la asistencia del martes, 22 de marzo de 2022"));
    assert_null(strstr(r.body, ">published<"));
    http_free(&r);
}

static void trainers_see_no_programme_figures(void **state)
{
    (void)state;
    json_t *h = home(trainer);
    assert_null(json_object_get(edition(h), "next_steps"));
    assert_null(json_object_get(edition(h), "courses"));
    json_decref(h);
}

/* The console bar of a page: the text between its <nav> and </nav>. */
static char *console_bar(const char *who, const char *path)
{
    struct http_response r;
    const char *h[] = {who, NULL};
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    const char *from = strstr(r.body, "<nav class=\"console-nav\"");
    assert_non_null(from);
    const char *to = strstr(from, "</nav>");
    assert_non_null(to);
    char *bar = strndup(from, (size_t)(to - from));
    http_free(&r);
    return bar;
}

static void one_navigation_everywhere(void **state)
{
    (void)state;
    const char *pages[] = {"/admin", "/admin/events/sela-2022/applications",
                           "/admin/events/sela-2022/meetings", "/admin/events/sela-2022/attendance",
                           "/admin/events/sela-2022/certificates", "/admin/events/sela-2022/materials",
                           "/admin/outbox"};
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
        char *bar = console_bar(coord, pages[i]);
        /* Every section is there, the page's own marked, the admin's not. */
        for (size_t k = 0; k < sizeof pages / sizeof *pages; k++) {
            char link[200];
            snprintf(link, sizeof link, "href=\"%s\"%s", pages[k], k == i ? " aria-current=\"page\"" : ">");
            if (!strstr(bar, link))
                fail_msg("on %s the bar lacks %s", pages[i], link);
        }
        assert_null(strstr(bar, "/admin/audit"));
        free(bar);
    }
    /* A trainer's bar offers only what a trainer may use. */
    char *bar = console_bar(trainer, "/admin/events/sela-2022/materials");
    assert_non_null(strstr(bar, "href=\"/admin/events/sela-2022/materials\" aria-current=\"page\""));
    assert_non_null(strstr(bar, "href=\"/admin\">"));
    assert_null(strstr(bar, "/applications"));
    assert_null(strstr(bar, "/admin/outbox"));
    free(bar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_per_course),
        cmocka_unit_test(steps_follow_the_work),
        cmocka_unit_test(spanish_steps),
        cmocka_unit_test(trainers_see_no_programme_figures),
        cmocka_unit_test(one_navigation_everywhere),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
