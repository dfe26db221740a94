/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The question editor as a form: sections and questions of each kind with
 * both languages, moved, removed and added by buttons that keep what was
 * typed, saved only when whole; what must be refused stores nothing, and
 * once answers exist a question cannot go and a rewording needs a
 * confirmation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char coord[400], ctoken[64];

#define ED "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation/questions"
#define DEF "(SELECT definition FROM questionnaire q JOIN course c ON c.id = q.course_id" \
            " WHERE c.slug = 'cyberdiplomacy')"

static void text(const char *sql, char *out, size_t n)
{
    out[0] = '\0';
    db_query(data_dir, sql, out, n);
}

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    if (!serve_start(&srv, data_dir))
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

/* Two questions in one section: an agreement and a single choice. */
static const char *const two =
    "sec_es=Curso&sec_en=Course"
    "&q_section=0&q_key=alpha&q_type=agree&q_es=Claro&q_en=Clear&q_required=1"
    "&q_options=&q_min=&q_max="
    "&q_section=0&q_key=beta&q_type=single&q_es=Lugar&q_en=Place&q_required=0"
    "&q_options=Casa+%7C+Home%0AOficina+%7C+Office&q_min=&q_max=";

static const char *post_path = ED;

static struct http_response post(const char *fields)
{
    char *body = malloc(strlen(fields) + 200);
    assert_non_null(body);
    sprintf(body, "csrf=%s&%s", ctoken, fields);
    struct http_response r;
    assert_true(post_form(&srv, coord, post_path, body, &r));
    free(body);
    return r;
}

static void shows_the_questions_as_a_form(void **state)
{
    (void)state;
    const char *h[] = {coord, NULL};
    struct http_response r;
    assert_true(get_path(&srv, ED "?lang=en", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id=\"question-editor\""));
    assert_non_null(strstr(r.body, "name=\"q_key\" value=\"objectives\""));
    assert_non_null(strstr(r.body, "<legend>Question 1: Agreement (1–5)</legend>"));
    /* The trainers' block and before/after are there as their kinds. */
    assert_non_null(strstr(r.body, "Each trainer (agreement)"));
    assert_non_null(strstr(r.body, "Knowledge before and after"));
    http_free(&r);
    /* The settings page links to it; the JSON textarea is gone. */
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation", h, &r));
    assert_non_null(strstr(r.body, "id=\"edit-questions\""));
    assert_null(strstr(r.body, "name=\"definition\""));
    http_free(&r);
}

static void saves_each_kind_in_both_languages(void **state)
{
    (void)state;
    char body[4000];
    snprintf(body, sizeof body, "%s"
             "&q_section=0&q_key=gamma&q_type=multi&q_es=Temas&q_en=Topics&q_required=0"
             "&q_options=A+%%7C+A%%0AB+%%7C+B%%0AC+%%7C+C&q_min=1&q_max=2"
             "&q_section=0&q_key=delta&q_type=grid&q_es=Afirmaciones&q_en=Statements&q_required=0"
             "&q_options=Uno+%%7C+One%%0ADos+%%7C+Two&q_min=&q_max="
             "&q_section=0&q_key=eps&q_type=number&q_es=Horas&q_en=Hours&q_required=0"
             "&q_options=&q_min=0&q_max=40&op=save", two);
    struct http_response r = post(body);
    assert_int_equal(r.status, 303);
    http_free(&r);
    char out[400];
    text("SELECT json_extract(" DEF ", '$.sections[0].questions[1].options[1].en')", out, sizeof out);
    assert_string_equal(out, "Office");
    text("SELECT json_extract(" DEF ", '$.sections[0].questions[0].text.es') || '/' ||"
         " json_extract(" DEF ", '$.sections[0].questions[0].required')", out, sizeof out);
    assert_string_equal(out, "Claro/1");
    text("SELECT json_extract(" DEF ", '$.sections[0].questions[2].max') || '/' ||"
         " json_extract(" DEF ", '$.sections[0].questions[3].statements[1].es') || '/' ||"
         " json_extract(" DEF ", '$.sections[0].questions[4].min')", out, sizeof out);
    assert_string_equal(out, "2/Dos/0");
    text("SELECT customised FROM questionnaire q JOIN course c ON c.id = q.course_id"
         " WHERE c.slug = 'cyberdiplomacy'", out, sizeof out);
    assert_string_equal(out, "1");
}

static void buttons_move_remove_add_and_keep_the_typing(void **state)
{
    (void)state;
    char body[2000];
    /* Up on the second: beta comes first; nothing is stored yet. */
    snprintf(body, sizeof body, "%s&op=up:1", two);
    struct http_response r = post(body);
    assert_int_equal(r.status, 200);
    char *a = strstr(r.body, "value=\"alpha\""), *b = strstr(r.body, "value=\"beta\"");
    assert_true(a && b && b < a);
    assert_non_null(strstr(r.body, "Oficina | Office"));
    http_free(&r);
    char before[4000], after[4000];
    text("SELECT " DEF, before, sizeof before);
    /* Remove the first. */
    snprintf(body, sizeof body, "%s&op=remove:0", two);
    r = post(body);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "value=\"alpha\""));
    assert_non_null(strstr(r.body, "value=\"beta\""));
    http_free(&r);
    /* Add a 0-10 question and a section. */
    snprintf(body, sizeof body, "%s&op=add&new_type=nps", two);
    r = post(body);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "name=\"q_key\" value=\"q1\""));
    assert_non_null(strstr(r.body, "<option value=\"nps\" selected>"));
    http_free(&r);
    snprintf(body, sizeof body, "%s&op=add_section", two);
    r = post(body);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id=\"section-2\""));
    http_free(&r);
    text("SELECT " DEF, after, sizeof after);
    assert_string_equal(before, after);
}

static void refusals_store_nothing(void **state)
{
    (void)state;
    char before[4000], after[4000];
    text("SELECT " DEF, before, sizeof before);
    struct { const char *fields; int status; const char *says; } bad[] = {
        /* No English. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=a&q_type=agree&q_es=Hola&q_en=&q_required=1"
         "&q_options=&q_min=&q_max=&op=save", 422, "Write the question in Spanish and in English."},
        /* The same key twice. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=a&q_type=agree&q_es=H&q_en=H&q_required=1"
         "&q_options=&q_min=&q_max=&q_section=0&q_key=a&q_type=yesno&q_es=H&q_en=H"
         "&q_required=1&q_options=&q_min=&q_max=&op=save", 422, "each needs its own"},
        /* A bad key. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=Bad+Key&q_type=agree&q_es=H&q_en=H&q_required=1"
         "&q_options=&q_min=&q_max=&op=save", 422, "lowercase letters"},
        /* An option without its English. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=a&q_type=single&q_es=H&q_en=H&q_required=1"
         "&q_options=Solo+espa%C3%B1ol&q_min=&q_max=&op=save", 422, "separated by |"},
        /* More ticks allowed than options. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=a&q_type=multi&q_es=H&q_en=H&q_required=1"
         "&q_options=A+%7C+A&q_min=1&q_max=3&op=save", 422, "minimum not above the maximum"},
        /* A section without an English heading. */
        {"sec_es=S&sec_en=&q_section=0&q_key=a&q_type=agree&q_es=H&q_en=H&q_required=1"
         "&q_options=&q_min=&q_max=&op=save", 422, "heading in Spanish and in English"},
        /* A type that does not exist. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=a&q_type=essay&q_es=H&q_en=H&q_required=1"
         "&q_options=&q_min=&q_max=&op=save", 422, NULL},
        /* Rows that do not line up. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=a&q_key=b&q_type=agree&q_es=H&q_en=H"
         "&q_required=1&q_options=&q_min=&q_max=&op=save", 400, NULL},
        /* An operation on a question that is not there. */
        {"sec_es=S&sec_en=S&q_section=0&q_key=a&q_type=agree&q_es=H&q_en=H&q_required=1"
         "&q_options=&q_min=&q_max=&op=remove:7", 422, NULL},
    };
    post_path = ED "?lang=en";
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct http_response r = post(bad[i].fields);
        assert_int_equal(r.status, bad[i].status);
        if (bad[i].says) {
            /* In the person's language. */
            assert_non_null(strstr(r.body, "role=\"alert\""));
            assert_non_null(strstr(r.body, bad[i].says));
        }
        http_free(&r);
        text("SELECT " DEF, after, sizeof after);
        assert_string_equal(before, after);
    }
    /* A fault of one question is tied to it. */
    struct http_response r = post(bad[0].fields);
    assert_non_null(strstr(r.body, "aria-describedby=\"q-0-error\""));
    assert_non_null(strstr(r.body, "id=\"q-0-error\""));
    http_free(&r);
    post_path = ED;
}

static void answered_questions_stay(void **state)
{
    (void)state;
    /* Somebody answered. */
    db_query(data_dir, "INSERT INTO evaluation_response (id, questionnaire_id, answers)"
                       " SELECT 123456789, q.id, '{}' FROM questionnaire q JOIN course c"
                       " ON c.id = q.course_id WHERE c.slug = 'cyberdiplomacy'", NULL, 0);
    add_registered_participant(data_dir, "x1@example.org", "cyberdiplomacy");
    db_query(data_dir, "INSERT INTO evaluation_respondent (questionnaire_id, enrolment_id, answered)"
                       " SELECT q.id, en.id, 1 FROM questionnaire q JOIN course c ON c.id = q.course_id"
                       " JOIN enrolment en ON en.course_id = c.id JOIN application a"
                       " ON a.id = en.application_id WHERE c.slug = 'cyberdiplomacy'"
                       " AND a.email = 'x1@example.org'", NULL, 0);
    char before[4000], after[4000];
    text("SELECT " DEF, before, sizeof before);
    char body[2000];
    snprintf(body, sizeof body, "%s&op=remove:0", two);
    struct http_response r = post(body);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "role=\"alert\""));
    http_free(&r);
    /* Leaving a stored question out of the saved form: refused too. */
    r = post("sec_es=Curso&sec_en=Course&q_section=0&q_key=alpha&q_type=agree&q_es=Claro"
             "&q_en=Clear&q_required=1&q_options=&q_min=&q_max=&op=save&confirm_wording=1");
    assert_int_equal(r.status, 422);
    http_free(&r);
    /* A rewording needs the confirmation. */
    char reworded[4000];
    snprintf(reworded, sizeof reworded, "%s"
             "&q_section=0&q_key=gamma&q_type=multi&q_es=Temas&q_en=Topics&q_required=0"
             "&q_options=A+%%7C+A%%0AB+%%7C+B%%0AC+%%7C+C&q_min=1&q_max=2"
             "&q_section=0&q_key=delta&q_type=grid&q_es=Afirmaciones&q_en=Statements&q_required=0"
             "&q_options=Uno+%%7C+One%%0ADos+%%7C+Two&q_min=&q_max="
             "&q_section=0&q_key=eps&q_type=number&q_es=Horas+de+trabajo&q_en=Working+hours"
             "&q_required=0&q_options=&q_min=0&q_max=40&op=save", two);
    r = post(reworded);
    assert_int_equal(r.status, 422);
    http_free(&r);
    text("SELECT " DEF, after, sizeof after);
    assert_string_equal(before, after);
    strcat(reworded, "&confirm_wording=1");
    r = post(reworded);
    assert_int_equal(r.status, 303);
    http_free(&r);
    char out[200];
    text("SELECT json_extract(" DEF ", '$.sections[0].questions[4].text.en')", out, sizeof out);
    assert_string_equal(out, "Working hours");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shows_the_questions_as_a_form),
        cmocka_unit_test(saves_each_kind_in_both_languages),
        cmocka_unit_test(buttons_move_remove_add_and_keep_the_typing),
        cmocka_unit_test(refusals_store_nothing),
        cmocka_unit_test(answered_questions_stay),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
