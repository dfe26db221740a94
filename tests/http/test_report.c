/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the final report: for the scripted scenario
 * (tests/fixtures/report/scenario.sql) the JSON figures equal the values
 * computed by hand; who may see it; the coordinator's draft texts; the
 * downloads; bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char coord[400], ctoken[64];
static char trainer[400], ttoken[64];

static void run_scenario(void)
{
    char path[600], db[300];
    source_path("tests/fixtures/report/scenario.sql", path, sizeof path);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char sql[200000];
    size_t n = fread(sql, 1, sizeof sql - 1, fp);
    fclose(fp);
    sql[n] = 0;
    snprintf(db, sizeof db, "%s/aula.db", data_dir);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("scenario: %s", err);
    /* Once the evaluation is in the tree, the demo's questionnaires are
     * open: close them, so that the scenario's report is final. */
    sqlite3_exec(h, "UPDATE questionnaire SET closes_at = '2022-04-30T00:00:00Z'", NULL, NULL, NULL);
    sqlite3_close(h);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    run_scenario();
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) &&
                   sign_in(&srv, "trainer%40example.org", "trainer-password-1", trainer,
                           sizeof trainer, ttoken, sizeof ttoken)
               ? 0
               : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(data_dir);
    curl_global_cleanup();
    return 0;
}

/* Last: after drawing PDFs and charts on its worker threads the server
 * still exits cleanly (under the sanitizers: nothing leaked). */
static void server_exits_cleanly(void **state)
{
    (void)state;
    assert_int_equal(serve_stop(&srv, 10000), 0);
}

static json_t *report_json(void)
{
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/report", h, &r));
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(j);
    return j;
}

static json_t *at(json_t *o, const char *path)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *save = NULL, *t = strtok_r(buf, ".", &save); t; t = strtok_r(NULL, ".", &save))
        o = json_is_array(o) ? json_array_get(o, (size_t)atoi(t)) : json_object_get(o, t);
    return o;
}

static long long I(json_t *o, const char *path)
{
    json_t *v = at(o, path);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", path);
    return (long long)json_integer_value(v);
}

static double R(json_t *o, const char *path)
{
    json_t *v = at(o, path);
    if (!json_is_number(v))
        fail_msg("%s is not a number", path);
    return json_number_value(v);
}

static json_t *country(json_t *j, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(j, "countries"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "code")), code) == 0)
            return c;
    fail_msg("no country %s", code);
    return NULL;
}

static void figures_equal_hand_computed(void **state)
{
    (void)state;
    json_t *j = report_json();
    /* Cyberdiplomacy: ar1 br1 mx1 registered, cl1 waitlisted, pe1
     * rejected; all three attended; ar1 and mx1 480 of 480 minutes (the
     * rule is 75 %), br1 90; certificates of ar1 and mx1 valid. */
    assert_string_equal(json_string_value(at(j, "funnel.courses.0.course")), "cyberdiplomacy");
    assert_int_equal(I(j, "funnel.courses.0.applied"), 5);
    assert_int_equal(I(j, "funnel.courses.0.accepted"), 3);
    assert_int_equal(I(j, "funnel.courses.0.waitlisted"), 1);
    assert_int_equal(I(j, "funnel.courses.0.rejected"), 1);
    assert_int_equal(I(j, "funnel.courses.0.withdrawn"), 0);
    assert_int_equal(I(j, "funnel.courses.0.registered"), 3);
    assert_int_equal(I(j, "funnel.courses.0.attended"), 3);
    assert_int_equal(I(j, "funnel.courses.0.met_rule"), 2);
    assert_int_equal(I(j, "funnel.courses.0.certified"), 2);
    /* Techplomacy: mx1 and pe1 registered, es1 accepted, uy1 withdrawn,
     * ve1 rejected; mx1 360 of 480 minutes (exactly 75 %), certificate
     * revoked. */
    assert_int_equal(I(j, "funnel.courses.1.applied"), 5);
    assert_int_equal(I(j, "funnel.courses.1.accepted"), 3);
    assert_int_equal(I(j, "funnel.courses.1.withdrawn"), 1);
    assert_int_equal(I(j, "funnel.courses.1.rejected"), 1);
    assert_int_equal(I(j, "funnel.courses.1.registered"), 2);
    assert_int_equal(I(j, "funnel.courses.1.attended"), 1);
    assert_int_equal(I(j, "funnel.courses.1.met_rule"), 1);
    assert_int_equal(I(j, "funnel.courses.1.certified"), 0);
    /* Eight people, each once. */
    assert_int_equal(I(j, "funnel.overall.applied"), 8);
    assert_int_equal(I(j, "funnel.overall.accepted"), 5);
    assert_int_equal(I(j, "funnel.overall.waitlisted"), 1);
    assert_int_equal(I(j, "funnel.overall.rejected"), 1);
    assert_int_equal(I(j, "funnel.overall.withdrawn"), 1);
    assert_int_equal(I(j, "funnel.overall.registered"), 4);
    assert_int_equal(I(j, "funnel.overall.attended"), 3);
    assert_int_equal(I(j, "funnel.overall.met_rule"), 2);
    assert_int_equal(I(j, "funnel.overall.certified"), 2);
    /* Attendance: 21 March, 3 present, (240 + 90 + 240) / 3 = 190
     * minutes, 570 / 720 = 79.2 % of the session. */
    assert_int_equal(I(j, "attendance.0.sessions.0.present"), 3);
    assert_true(R(j, "attendance.0.sessions.0.mean_minutes") == 190.0);
    assert_true(R(j, "attendance.0.sessions.0.share") == 79.2);
    assert_int_equal(I(j, "attendance.0.sessions.1.present"), 2);
    assert_int_equal(I(j, "attendance.1.sessions.0.present"), 1);
    assert_true(R(j, "attendance.1.sessions.0.share") == 50.0);
    assert_int_equal(I(j, "attendance.0.distribution.1.count"), 1); /* br1: 18 % */
    assert_int_equal(I(j, "attendance.0.distribution.5.count"), 2);
    assert_int_equal(I(j, "attendance.1.distribution.4.count"), 1); /* mx1: 75 % */
    /* Certificates: four issued, two valid, one revoked, one reissued. */
    assert_int_equal(I(j, "certificates.issued"), 4);
    assert_int_equal(I(j, "certificates.valid"), 2);
    assert_int_equal(I(j, "certificates.revoked"), 1);
    assert_int_equal(I(j, "certificates.reissued"), 1);
    /* Countries: every member state listed; Spain is not one. */
    assert_int_equal(I(country(j, "AR"), "certified"), 1);
    assert_int_equal(I(country(j, "BR"), "registered"), 1);
    assert_int_equal(I(country(j, "BR"), "certified"), 0);
    assert_int_equal(I(country(j, "TT"), "applied"), 0);
    assert_false(json_is_true(json_object_get(country(j, "ES"), "member")));
    assert_true(json_is_true(json_object_get(country(j, "JM"), "member")));
    /* Gender: female ar1 mx1 es1 ve1 (2 registered, both certified). */
    assert_int_equal(I(j, "gender.0.applied"), 4);
    assert_int_equal(I(j, "gender.0.registered"), 2);
    assert_true(R(j, "gender.0.certified_percent") == 100.0);
    assert_int_equal(I(j, "gender.3.applied"), 1); /* not stated: uy1 */
    /* Every day imported and no evaluation open: final. */
    assert_false(json_is_true(json_object_get(j, "preliminary")));
    /* No answers: without the evaluation "answered" is unknown, with it 0. */
    json_t *answered = at(j, "funnel.overall.answered");
    assert_true(json_is_null(answered) || json_integer_value(answered) == 0);
    assert_int_equal(strlen(json_string_value(json_object_get(j, "fingerprint"))), 64);
    json_decref(j);
}

static void generating_twice_gives_the_same_figures(void **state)
{
    (void)state;
    json_t *a = report_json(), *b = report_json();
    assert_string_equal(json_string_value(json_object_get(a, "fingerprint")),
                        json_string_value(json_object_get(b, "fingerprint")));
    json_decref(a);
    json_decref(b);
}

static void who_may_see_it(void **state)
{
    (void)state;
    struct http_response r;
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/report", NULL, &r));
    assert_int_equal(r.status, 401);
    http_free(&r);
    const char *t[] = {trainer, NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/report", t, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/report", t, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    const char *c[] = {coord, NULL};
    assert_true(get_path(&srv, "/api/v1/events/no-such-edition/report", c, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/no-such-edition/report.pdf", c, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/report.pdf?language=fr", c, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
}

static void texts_are_kept_as_drafts(void **state)
{
    (void)state;
    char body[600];
    snprintf(body, sizeof body,
             "csrf=%s&reference_es=SP%%2FCL%%2FXLVIII.O%%2FDT+N%%C2%%BA+7-22&reference_en=SP%%2FCL"
             "%%2FXLVIII.O%%2FDT+No.+7-22&summary_es=Resumen+%%3Cb%%3Enegrita%%3C%%2Fb%%3E"
             "&summary_en=Summary+text&conclusions_es=&conclusions_en=&recommendations_es="
             "&recommendations_en=Recommend+more",
             ctoken);
    struct http_response r;
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/report/texts", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char out[200];
    db_query(data_dir, "SELECT body_en FROM report_text WHERE key = 'summary'", out, sizeof out);
    assert_string_equal(out, "Summary text");
    db_query(data_dir, "SELECT count(*) FROM report_text WHERE key = 'conclusions'"
                       " AND body_es IS NULL AND body_en IS NULL", out, sizeof out);
    assert_string_equal(out, "1");
    /* The preview shows them, markup as text; the charts have text
     * alternatives. */
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/report", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Resumen &lt;b&gt;negrita&lt;/b&gt;"));
    assert_non_null(strstr(r.body, "<img src=\"data:image/svg+xml;base64,"));
    assert_non_null(strstr(r.body, " alt=\""));
    http_free(&r);
    /* The JSON carries them too. */
    json_t *j = report_json();
    assert_string_equal(json_string_value(at(j, "texts.recommendations.en")), "Recommend more");
    json_decref(j);
    /* A reference over 200 characters is refused and nothing changes. */
    char longbody[900];
    char ref[400];
    memset(ref, 'x', 300);
    ref[300] = 0;
    snprintf(longbody, sizeof longbody, "csrf=%s&reference_es=%s&summary_en=changed", ctoken, ref);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/report/texts", longbody, &r));
    assert_int_equal(r.status, 422);
    http_free(&r);
    db_query(data_dir, "SELECT body_en FROM report_text WHERE key = 'summary'", out, sizeof out);
    assert_string_equal(out, "Summary text");
}

static void downloads(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    char type[200];
    assert_true(get_path(&srv, "/admin/events/sela-2022/report.pdf?language=en", h, &r));
    assert_int_equal(r.status, 200);
    assert_true(header_value(&r, "Content-Type", type, sizeof type));
    assert_string_equal(type, "application/pdf");
    assert_true(r.body_len > 1000 && memcmp(r.body, "%PDF-", 5) == 0);
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/report.xlsx?language=es", h, &r));
    assert_int_equal(r.status, 200);
    assert_true(r.body_len > 1000 && memcmp(r.body, "PK", 2) == 0);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(figures_equal_hand_computed),
        cmocka_unit_test(generating_twice_gives_the_same_figures),
        cmocka_unit_test(who_may_see_it),
        cmocka_unit_test(texts_are_kept_as_drafts),
        cmocka_unit_test(downloads),
        cmocka_unit_test(server_exits_cleanly),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
