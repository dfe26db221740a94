/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One questionnaire for a whole edition, besides its courses': the
 * coordinator creates it (once), everyone registered on any course is
 * invited once (never staff, never someone of another edition), answers
 * once, and the results, the exports, the API and the report show it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char coord[400], ctoken[64];
static char csrf_cookie[200], csrf[64];

static long count(const char *sql)
{
    char out[64] = "";
    db_query(data_dir, sql, out, sizeof out);
    return atol(out);
}

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    /* e1 is on two courses, e2 and e3 on one each; a member of staff too. */
    add_registered_participant(data_dir, "e1@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "e1@example.org", "techplomacy");
    add_registered_participant(data_dir, "e2@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "e3@example.org", "techplomacy");
    add_registered_participant(data_dir, "coordinator@example.org", "techplomacy");
    setenv("AULA_REMINDER_TICK", "1", 1);
    if (!serve_start(&srv, data_dir))
        return -1;
    if (!csrf_pair(&srv, csrf_cookie, sizeof csrf_cookie, csrf, sizeof csrf))
        return -1;
    return sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = serve_stop(&srv, 5000);
    remove_tree(data_dir);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

static struct http_response admin_get(const char *path)
{
    const char *h[] = {coord, NULL};
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    return r;
}

#define EDQ "(SELECT id FROM questionnaire WHERE edition_id IS NOT NULL)"

static const char *const valid =
    "q.objectives=5&q.relevance=4&q.material=4&q.pace=3&q.organisation=5&q.usefulness=4"
    "&q.knowledge.before=2&q.knowledge.after=4&q.apply=4&q.recommend=9";

static void created_once_by_the_coordinator(void **state)
{
    (void)state;
    assert_int_equal(count("SELECT count(*) FROM questionnaire WHERE edition_id IS NOT NULL"), 0);
    struct http_response r = admin_get("/admin/events/sela-2022/evaluation?lang=en");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id=\"edition-wide\""));
    http_free(&r);
    char body[200];
    snprintf(body, sizeof body, "csrf=%s", ctoken);
    for (int i = 0; i < 2; i++) {
        assert_true(post_form(&srv, coord, "/admin/events/sela-2022/evaluation", body, &r));
        assert_int_equal(r.status, 303);
        char loc[300] = "";
        assert_true(header_value(&r, "Location", loc, sizeof loc));
        assert_non_null(strstr(loc, "/admin/events/sela-2022/evaluation/edition"));
        http_free(&r);
    }
    /* Twice asked, one questionnaire; the courses keep theirs. */
    assert_int_equal(count("SELECT count(*) FROM questionnaire WHERE edition_id IS NOT NULL"), 1);
    assert_true(count("SELECT count(*) FROM questionnaire WHERE course_id IS NOT NULL") >= 2);
    r = admin_get("/admin/events/sela-2022/evaluation?lang=en");
    assert_null(strstr(r.body, "id=\"edition-wide\""));
    assert_non_null(strstr(r.body, "href=\"/admin/events/sela-2022/evaluation/edition\""));
    http_free(&r);
    r = admin_get("/admin/events/sela-2022/evaluation/edition?lang=en");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "action=\"/admin/events/sela-2022/evaluation/edition\""));
    http_free(&r);
    /* Without a session: refused. */
    assert_true(get_path(&srv, "/admin/events/sela-2022/evaluation/edition", NULL, &r));
    assert_true(r.status == 303 || r.status == 401 || r.status == 403);
    http_free(&r);
}

static void invited_and_answered_once(void **state)
{
    (void)state;
    /* It opened an hour ago: the invitations go. */
    db_query(data_dir, "UPDATE questionnaire SET opens_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
                       " '-1 hour') WHERE edition_id IS NOT NULL", NULL, 0);
    const char *links = "SELECT count(*) FROM evaluation_link l JOIN enrolment en"
                        " ON en.id = l.enrolment_id JOIN application a ON a.id = en.application_id"
                        " WHERE l.questionnaire_id = " EDQ " AND a.email LIKE 'e_@example.org'";
    for (int i = 0; i < 150 && count(links) < 3; i++)
        usleep(100 * 1000);
    usleep(1500 * 1000);
    /* One each, e1 too although on two courses; never staff. */
    assert_int_equal(count(links), 3);
    assert_int_equal(count("SELECT count(*) FROM evaluation_link l JOIN enrolment en"
                           " ON en.id = l.enrolment_id JOIN application a ON a.id = en.application_id"
                           " WHERE l.questionnaire_id = " EDQ " AND a.email = 'e1@example.org'"), 1);
    assert_int_equal(count("SELECT count(*) FROM evaluation_link l JOIN enrolment en"
                           " ON en.id = l.enrolment_id JOIN application a ON a.id = en.application_id"
                           " WHERE a.email = 'coordinator@example.org'"), 0);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE kind = 'evaluation_invitation'"
                           " AND to_addr = 'e1@example.org'"), 1);

    char path[200], hdr[300], body[1200];
    snprintf(hdr, sizeof hdr, "Cookie: %s", csrf_cookie);
    struct http_response r;
    const char *who[] = {"e1@example.org", "e2@example.org"};
    for (int i = 0; i < 2; i++) {
        assert_true(mail_link(data_dir, who[i], "evaluation_invitation", "/evaluation/", path,
                              sizeof path));
        assert_true(get_path(&srv, path, NULL, &r));
        assert_int_equal(r.status, 200);
        /* The trainers of every course of the edition, each answered. */
        assert_non_null(strstr(r.body, "q.trainers.mario-torres-jarrin"));
        size_t at = (size_t)snprintf(body, sizeof body, "csrf=%s&%s&action=send", csrf, valid);
        int trainers = 0;
        for (const char *t = r.body; (t = strstr(t, "name=\"q.trainers.")) != NULL; t += 6) {
            const char *name = t + 6, *end = strchr(name, '"');
            char field[120];
            snprintf(field, sizeof field, "&%.*s=4", (int)(end - name), name);
            if (!strstr(body, field) && at + strlen(field) < sizeof body) {
                memcpy(body + at, field, strlen(field) + 1);
                at += strlen(field);
                trainers++;
            }
        }
        /* Both courses have the same two trainers: each asked about once. */
        assert_int_equal(trainers, 2);
        http_free(&r);
        assert_true(post_form(&srv, hdr, path, body, &r));
        assert_int_equal(r.status, 200);
        http_free(&r);
    }
    /* A second submission by e1 is refused and stores nothing. */
    assert_true(mail_link(data_dir, "e1@example.org", "evaluation_invitation", "/evaluation/",
                          path, sizeof path));
    assert_true(post_form(&srv, hdr, path, body, &r));
    assert_int_equal(r.status, 409);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response WHERE questionnaire_id = "
                           EDQ), 2);
    assert_int_equal(count("SELECT count(*) FROM evaluation_respondent WHERE answered = 1"
                           " AND questionnaire_id = " EDQ), 2);
    /* The courses' questionnaires are untouched. */
    assert_int_equal(count("SELECT count(*) FROM evaluation_response WHERE questionnaire_id <> "
                           EDQ), 0);
}

static void results_exports_api_report(void **state)
{
    (void)state;
    struct http_response r = admin_get("/admin/events/sela-2022/evaluation/edition?lang=en");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<strong>2</strong>"));
    http_free(&r);

    r = admin_get("/admin/events/sela-2022/evaluation/edition.csv");
    assert_int_equal(r.status, 200);
    char cd[300] = "";
    assert_true(header_value(&r, "Content-Disposition", cd, sizeof cd));
    assert_non_null(strstr(cd, "sela-2022-edition-evaluation.csv"));
    size_t lines = 0;
    for (size_t i = 0; i < r.body_len; i++)
        lines += r.body[i] == '\n';
    assert_int_equal(lines, 3); /* the header and two answers */
    assert_null(strstr(r.body, "e1@example.org"));
    http_free(&r);
    r = admin_get("/admin/events/sela-2022/evaluation/edition.xlsx");
    assert_int_equal(r.status, 200);
    assert_true(r.body_len > 4 && memcmp(r.body, "PK", 2) == 0);
    http_free(&r);

    r = admin_get("/api/v1/events/sela-2022/evaluation");
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    json_t *c = json_array_get(json_object_get(j, "courses"), 0);
    assert_true(json_is_true(json_object_get(c, "edition_wide")));
    assert_true(json_is_null(json_object_get(c, "course")));
    assert_int_equal(json_integer_value(json_object_get(c, "respondents")), 2);
    json_decref(j);

    r = admin_get("/api/v1/events/sela-2022/report");
    assert_int_equal(r.status, 200);
    j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(j);
    json_t *courses = json_object_get(json_object_get(j, "evaluation"), "courses");
    if (!courses)
        courses = json_object_get(json_object_get(json_object_get(j, "figures"), "evaluation"),
                                  "courses");
    bool found = false;
    size_t i;
    json_t *x;
    json_array_foreach(courses, i, x)
        if (json_integer_value(json_object_get(x, "answered")) == 2 &&
            json_object_get(x, "title") && !json_is_null(json_object_get(x, "title")))
            found = true;
    assert_true(found);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(created_once_by_the_coordinator),
        cmocka_unit_test(invited_and_answered_once),
        cmocka_unit_test(results_exports_api_report),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
