/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Breakdowns of an anonymous questionnaire: the answers carry the group of
 * one dimension only, copied (never the person) once at least min_group
 * people of that group have answered; a group of 4 is not shown and
 * nothing stored links an answer to a person or a group smaller than 5. */
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

#define N_AR 9
#define N_BR 4

static long count(const char *sql)
{
    char out[64] = "";
    db_query(data_dir, sql, out, sizeof out);
    return atol(out);
}

static const char *email_of(int i, char *buf, size_t n)
{
    snprintf(buf, n, "g%02d@example.org", i);
    return buf;
}

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    char e[64], sql[400];
    for (int i = 0; i < N_AR + N_BR; i++) {
        add_registered_participant(data_dir, email_of(i, e, sizeof e), "cyberdiplomacy");
        snprintf(sql, sizeof sql, "UPDATE application SET country = '%s' WHERE email = '%s'",
                 i < N_AR ? "AR" : "BR", e);
        db_query(data_dir, sql, NULL, 0);
    }
    db_query(data_dir, "UPDATE questionnaire SET opens_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
                       " '-1 hour') WHERE course_id = (SELECT id FROM course"
                       " WHERE slug = 'cyberdiplomacy')", NULL, 0);
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

static const char *const valid =
    "q.objectives=5&q.relevance=4&q.material=4&q.organisation=5&q.usefulness=4"
    "&q.trainers.mario-torres-jarrin=5&q.trainers.shaun-riordan=4"
    "&q.knowledge.before=2&q.knowledge.after=4&q.apply=4&q.recommend=9";

static struct http_response admin_get(const char *path)
{
    const char *h[] = {coord, NULL};
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    return r;
}

#define PAGE "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation"

static void groups_of_anonymous_answers(void **state)
{
    (void)state;
    /* Before any answer, the dimension is country (the default) and the
     * page offers that one breakdown only. */
    struct http_response r = admin_get(PAGE "?lang=en");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id=\"anonymous-groups\""));
    assert_non_null(strstr(r.body, "?by=country#breakdown"));
    assert_null(strstr(r.body, "?by=gender#breakdown"));
    http_free(&r);

    for (int i = 0; i < 150 && count("SELECT count(*) FROM outbox WHERE kind ="
                                     " 'evaluation_invitation' AND to_addr LIKE 'g__@example.org'")
                                   < N_AR + N_BR; i++)
        usleep(100 * 1000);
    char hdr[300], e[64], path[200], body[1200];
    snprintf(hdr, sizeof hdr, "Cookie: %s", csrf_cookie);
    /* Argentina's nine answer first, then Brazil's four. */
    for (int i = 0; i < N_AR + N_BR; i++) {
        assert_true(mail_link(data_dir, email_of(i, e, sizeof e), "evaluation_invitation",
                              "/evaluation/", path, sizeof path));
        snprintf(body, sizeof body, "csrf=%s&%s&q.pace=%d&action=send", csrf, valid,
                 i < N_AR ? 1 : 5);
        assert_true(post_form(&srv, hdr, path, body, &r));
        assert_int_equal(r.status, 200);
        http_free(&r);
    }
    /* The first four of Argentina answered while the group was too small:
     * no group; the next five carry it; Brazil never reached five. */
    assert_int_equal(count("SELECT count(*) FROM evaluation_response WHERE grp = 'AR'"), N_AR - 4);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response WHERE grp = 'BR'"), 0);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response WHERE grp IS NULL"), 4 + N_BR);
    /* Nothing links: no person on an answer, and every group an answer
     * carries has at least min_group people who answered. */
    assert_int_equal(count("SELECT count(*) FROM evaluation_response"
                           " WHERE enrolment_id IS NOT NULL"), 0);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response r WHERE r.grp IS NOT NULL"
                           " AND (SELECT count(*) FROM evaluation_respondent x JOIN enrolment en"
                           " ON en.id = x.enrolment_id JOIN application a ON a.id = en.application_id"
                           " WHERE x.questionnaire_id = r.questionnaire_id AND x.answered = 1"
                           " AND a.country = r.grp) < 5"), 0);
    assert_int_equal(count("SELECT count(*) FROM pragma_table_info('evaluation_response')"
                           " WHERE name NOT IN ('id', 'questionnaire_id', 'enrolment_id',"
                           " 'answers', 'grp')"), 0);

    /* The page: Argentina with its five, the others pooled (4 + 4); Brazil,
     * a group of 4, is not shown. */
    r = admin_get(PAGE "?by=country&lang=en");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id=\"breakdown\""));
    assert_non_null(strstr(r.body, "Argentina (n=5)"));
    assert_non_null(strstr(r.body, "Others (n=8)"));
    assert_null(strstr(r.body, "Brazil"));
    /* Pace: 1 for Argentina; others (four 1s, four 5s) 3.00. */
    assert_non_null(strstr(r.body, "<td>1.00</td><td>3.00</td>"));
    http_free(&r);
    /* Another dimension is not kept: no breakdown by gender. */
    r = admin_get(PAGE "?by=gender&lang=en");
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "id=\"breakdown\""));
    http_free(&r);
    /* With a higher minimum, Argentina's five are not shown either. */
    db_query(data_dir, "UPDATE questionnaire SET min_group = 6", NULL, 0);
    r = admin_get(PAGE "?by=country&lang=en");
    assert_null(strstr(r.body, "Argentina"));
    assert_non_null(strstr(r.body, "Others (n=13)"));
    http_free(&r);
    db_query(data_dir, "UPDATE questionnaire SET min_group = 5", NULL, 0);
    /* The exports carry no group. */
    r = admin_get(PAGE ".csv");
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "AR"));
    assert_null(strstr(r.body, "Argentina"));
    http_free(&r);
    /* The dimension is locked once answers exist. */
    r = admin_get(PAGE "?lang=en");
    assert_non_null(strstr(r.body, "name=\"breakdown\" aria-describedby=\"bd-hint\" disabled"));
    http_free(&r);
}

static void no_breakdown_chosen(void **state)
{
    (void)state;
    db_query(data_dir, "UPDATE questionnaire SET breakdown = 'none'", NULL, 0);
    struct http_response r = admin_get(PAGE "?by=country&lang=en");
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "id=\"breakdown\""));
    assert_null(strstr(r.body, "?by=country#breakdown"));
    http_free(&r);
}

/* The dimension travels with the programme (aula export / import), and
 * one that does not exist is refused with its place named. */
static void breakdown_travels_with_the_programme(void **state)
{
    (void)state;
    char dir[256], src[600], file[600], out[200000];
    temp_dir(dir, sizeof dir);
    assert_int_equal(run_aula(NULL, NULL, 0, "init", "--data", dir, NULL), 0);
    source_path("examples/sela-2022/programme.json", src, sizeof src);
    json_error_t je;
    json_t *p = json_load_file(src, JSON_PRESERVE_ORDER, &je);
    assert_non_null(p);
    json_t *c = json_array_get(json_object_get(json_object_get(p, "edition"), "courses"), 1);
    json_object_set_new(c, "evaluation", json_loads(
        "{\"opens_at\":\"2022-03-24T13:00:00Z\",\"closes_at\":\"2022-04-07T13:00:00Z\","
        "\"anonymous\":true,\"audience\":\"registered\",\"reminder_days\":[2,7],"
        "\"breakdown\":\"gender\",\"questionnaire\":{\"sections\":[{\"title\":"
        "{\"es\":\"S\",\"en\":\"S\"},\"questions\":[{\"key\":\"q1\",\"type\":\"agree\","
        "\"text\":{\"es\":\"A\",\"en\":\"A\"}}]}]}}", 0, NULL));
    snprintf(file, sizeof file, "%s/p.json", dir);
    assert_int_equal(json_dump_file(p, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "export", "--data", dir, "sela-2022", NULL), 0);
    json_t *back = json_loads(out, 0, NULL);
    assert_non_null(back);
    json_t *c2 = json_array_get(json_object_get(json_object_get(back, "edition"), "courses"), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(c2, "evaluation"),
                                                          "breakdown")), "gender");
    json_decref(back);
    json_object_set_new(json_object_get(c, "evaluation"), "breakdown", json_string("person"));
    assert_int_equal(json_dump_file(p, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
    assert_int_not_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);
    assert_non_null(strstr(out, "$.edition.courses[1].evaluation.breakdown"));
    json_decref(p);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_of_anonymous_answers),
        cmocka_unit_test(no_breakdown_chosen),
        cmocka_unit_test(breakdown_travels_with_the_programme),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
