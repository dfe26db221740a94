/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the comments the final report quotes: the console
 * lists the evaluation's free-text answers, a coordinator chooses which the
 * report quotes, and the report (JSON, preview, PDF, HTML, XLSX) quotes
 * those only, exactly as written.  Refusals: an unchosen comment is never
 * quoted, a trainer can neither see nor choose, an unknown comment or a
 * malformed choice changes nothing, and a choice stops quoting once the
 * participant changed the answer. */
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

/* Written by participants: markup must stay text, emoji and accents stay. */
static const char *const chosen_text = "Muy útil <b>de verdad</b> 🙂";
static const char *const other_text = "Mejorar el sonido de la interpretación";
static const char *const third_text = "Más casos prácticos";
static const char *const escaped_chosen = "Muy útil &lt;b&gt;de verdad&lt;/b&gt; 🙂";

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
    /* Three anonymous answers to Cyberdiplomacy's questionnaire, stored
     * as the evaluation stores them (random ids, no person). */
    char sql[1200];
    snprintf(sql, sizeof sql,
             "INSERT INTO evaluation_response (id, questionnaire_id, enrolment_id, answers)"
             " SELECT 4611686018427387001, q.id, NULL, '{\"objectives\": 5, \"most_useful\": \"%s\"}'"
             " FROM questionnaire q JOIN course c ON c.id = q.course_id"
             " WHERE c.slug = 'cyberdiplomacy'", chosen_text);
    db_query(data_dir, sql, NULL, 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO evaluation_response (id, questionnaire_id, enrolment_id, answers)"
             " SELECT 1234567890123, q.id, NULL, '{\"objectives\": 2, \"improve\": \"%s\","
             " \"topics\": \"\"}'"
             " FROM questionnaire q JOIN course c ON c.id = q.course_id"
             " WHERE c.slug = 'cyberdiplomacy'", other_text);
    db_query(data_dir, sql, NULL, 0);
    snprintf(sql, sizeof sql,
             "INSERT INTO evaluation_response (id, questionnaire_id, enrolment_id, answers)"
             " SELECT 987654321, q.id, NULL, '{\"improve\": \"%s\"}'"
             " FROM questionnaire q JOIN course c ON c.id = q.course_id"
             " WHERE c.slug = 'techplomacy'", third_text);
    db_query(data_dir, sql, NULL, 0);
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
    int rc = serve_stop(&srv, 10000);
    remove_tree(data_dir);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

static char *get_body(const char *cookie, const char *path, long want)
{
    struct http_response r;
    const char *h[] = {cookie, NULL};
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, want);
    char *b = strndup(r.body ? r.body : "", r.body_len);
    http_free(&r);
    assert_non_null(b);
    return b;
}

/* The quotes of course i in the report's JSON figures. */
static json_t *quotes_of(size_t i)
{
    char *b = get_body(coord, "/api/v1/events/sela-2022/report", 200);
    json_t *j = json_loads(b, 0, NULL);
    free(b);
    assert_non_null(j);
    json_t *c = json_array_get(json_object_get(json_object_get(j, "evaluation"), "courses"), i);
    assert_non_null(c);
    json_t *q = json_incref(json_object_get(c, "quotes"));
    json_decref(j);
    assert_true(json_is_array(q));
    return q;
}

/* The comment id the page gives the comment whose text (as the page
 * escapes it) is marker: the value of the next hidden "comment" field. */
static void comment_id(const char *page, const char *marker, char *id, size_t n)
{
    const char *at = strstr(page, marker);
    assert_non_null(at);
    at = strstr(at, "name=\"comment\" value=\"");
    assert_non_null(at);
    at += strlen("name=\"comment\" value=\"");
    size_t len = strcspn(at, "\"");
    assert_true(len > 0 && len < n);
    memcpy(id, at, len);
    id[len] = 0;
}

/* The standard output of a shell command, which must succeed. */
static const char *command_output(const char *cmd)
{
    static char text[2000000];
    FILE *pp = popen(cmd, "r");
    assert_non_null(pp);
    size_t n = fread(text, 1, sizeof text - 1, pp);
    text[n] = 0;
    assert_int_equal(pclose(pp), 0);
    return text;
}

/* The id of the comment chosen_text, from the coordinator's page. */
static void chosen_id(char *id, size_t n)
{
    char *page = get_body(coord, "/admin/events/sela-2022/report/comments", 200);
    comment_id(page, escaped_chosen, id, n);
    free(page);
}

static long choose(const char *cookie, const char *token, const char *id, const char *chosen)
{
    char body[400];
    snprintf(body, sizeof body, "csrf=%s&comment=%s&chosen=%s", token, id, chosen);
    struct http_response r;
    assert_true(post_form(&srv, cookie, "/admin/events/sela-2022/report/comments", body, &r));
    long status = r.status;
    http_free(&r);
    return status;
}

static void nothing_quoted_until_chosen(void **state)
{
    (void)state;
    char *page = get_body(coord, "/admin/events/sela-2022/report/comments", 200);
    assert_non_null(strstr(page, escaped_chosen));
    assert_non_null(strstr(page, other_text));
    assert_non_null(strstr(page, third_text));
    assert_null(strstr(page, "<b>de verdad"));              /* text, never markup */
    assert_non_null(strstr(page, ": 0 / 3</p>"));            /* an empty answer is no comment */
    free(page);
    json_t *q = quotes_of(0);
    assert_int_equal(json_array_size(q), 0);
    json_decref(q);
    char *report = get_body(coord, "/admin/events/sela-2022/report", 200);
    assert_null(strstr(report, "de verdad"));
    assert_null(strstr(report, other_text));
    free(report);
}

static void trainer_cannot_choose(void **state)
{
    (void)state;
    char id[200];
    chosen_id(id, sizeof id);
    free(get_body(trainer, "/admin/events/sela-2022/report/comments", 403));
    assert_int_equal(choose(trainer, ttoken, id, "1"), 403);
    assert_int_equal(count("SELECT count(*) FROM report_quote"), 0);
    json_t *q = quotes_of(0);
    assert_int_equal(json_array_size(q), 0);
    json_decref(q);
}

static void bad_choices_change_nothing(void **state)
{
    (void)state;
    assert_int_equal(choose(coord, ctoken, "1-42-most_useful", "1"), 404);
    assert_int_equal(choose(coord, ctoken, "9-4611686018427387001-most_useful", "1"), 404);
    char id[200];
    chosen_id(id, sizeof id);
    assert_int_equal(choose(coord, ctoken, id, "yes"), 422);
    /* Of another edition: the comment is not found there. */
    char body[400];
    snprintf(body, sizeof body, "csrf=%s&comment=%s&chosen=1", ctoken, id);
    struct http_response r;
    assert_true(post_form(&srv, coord, "/admin/events/no-such-edition/report/comments", body, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM report_quote"), 0);
}

static void chosen_comment_quoted_as_written(void **state)
{
    (void)state;
    char id[200];
    chosen_id(id, sizeof id);
    assert_int_equal(choose(coord, ctoken, id, "1"), 303);
    assert_int_equal(count("SELECT count(*) FROM report_quote WHERE response_id ="
                           " 4611686018427387001 AND question_key = 'most_useful'"), 1);
    /* The audit log says a comment was chosen, never which. */
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'report.quote'"
                           " AND actor = 'coordinator@example.org' AND detail IS NULL"), 1);
    char *page = get_body(coord, "/admin/events/sela-2022/report/comments", 200);
    assert_non_null(strstr(page, ": 1 / 3</p>"));
    free(page);

    json_t *q = quotes_of(0);
    assert_int_equal(json_array_size(q), 1);
    assert_string_equal(json_string_value(json_array_get(q, 0)), chosen_text);
    json_decref(q);
    q = quotes_of(1);
    assert_int_equal(json_array_size(q), 0); /* the other course's comment */
    json_decref(q);

    char *report = get_body(coord, "/admin/events/sela-2022/report", 200);
    assert_non_null(strstr(report, escaped_chosen));
    assert_null(strstr(report, other_text));
    assert_null(strstr(report, third_text));
    free(report);

    /* The documents the command line writes quote the same, and only it. */
    char dir[300], path[400], cmd[900], out[4096];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/r.html", dir);
    assert_int_equal(run_aula(NULL, out, sizeof out, "report", "--data", data_dir, "--event",
                              "sela-2022", "--lang", "en", "--format", "html", "-o", path, NULL),
                     0);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char html[2000000];
    size_t n = fread(html, 1, sizeof html - 1, fp);
    fclose(fp);
    html[n] = 0;
    assert_non_null(strstr(html, escaped_chosen));
    assert_null(strstr(html, other_text));

    snprintf(path, sizeof path, "%s/r.pdf", dir);
    assert_int_equal(run_aula(NULL, out, sizeof out, "report", "--data", data_dir, "--event",
                              "sela-2022", "--lang", "es", "--format", "pdf", "-o", path, NULL),
                     0);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - | tr -s ' \\n' ' '", path);
    const char *text = command_output(cmd);
    assert_non_null(strstr(text, "Muy útil <b>de verdad</b>"));
    assert_null(strstr(text, "Mejorar el sonido"));

    snprintf(path, sizeof path, "%s/r.xlsx", dir);
    assert_int_equal(run_aula(NULL, out, sizeof out, "report", "--data", data_dir, "--event",
                              "sela-2022", "--lang", "en", "--format", "xlsx", "-o", path, NULL),
                     0);
    snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/sharedStrings.xml", path);
    text = command_output(cmd);
    assert_non_null(strstr(text, escaped_chosen));
    assert_null(strstr(text, other_text));
    remove_tree(dir);
}

static void unchoosing_and_changed_answers(void **state)
{
    (void)state;
    char id[200];
    chosen_id(id, sizeof id);
    assert_int_equal(choose(coord, ctoken, id, "0"), 303);
    assert_int_equal(count("SELECT count(*) FROM report_quote"), 0);
    json_t *q = quotes_of(0);
    assert_int_equal(json_array_size(q), 0);
    json_decref(q);

    /* Chosen again, then the participant's answer changes: the report
     * quotes nothing it was not chosen as. */
    assert_int_equal(choose(coord, ctoken, id, "1"), 303);
    q = quotes_of(0);
    assert_int_equal(json_array_size(q), 1);
    json_decref(q);
    db_query(data_dir, "UPDATE evaluation_response SET answers ="
                       " '{\"most_useful\": \"Otra cosa\"}' WHERE id = 4611686018427387001",
             NULL, 0);
    q = quotes_of(0);
    assert_int_equal(json_array_size(q), 0);
    json_decref(q);
    char *page = get_body(coord, "/admin/events/sela-2022/report/comments", 200);
    assert_non_null(strstr(page, "Otra cosa"));
    assert_non_null(strstr(page, ": 0 / 3</p>"));
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_quoted_until_chosen),
        cmocka_unit_test(trainer_cannot_choose),
        cmocka_unit_test(bad_choices_change_nothing),
        cmocka_unit_test(chosen_comment_quoted_as_written),
        cmocka_unit_test(unchoosing_and_changed_answers),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
