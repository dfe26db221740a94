/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The question editor moves whole sections up and down, questions with
 * them, like it moves questions: the form the move shows, sent back with
 * "save", stores the new order; a move past either end or of a section
 * that is not there is refused and stores nothing. */
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

#define ED "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation/questions"
#define DEF "(SELECT definition FROM questionnaire q JOIN course c ON c.id = q.course_id" \
            " WHERE c.slug = 'cyberdiplomacy')"

/* Three sections: one question in the first, two in the second, one in
 * the third. */
static const char *const three =
    "sec_es=Uno&sec_en=One&sec_es=Dos&sec_en=Two&sec_es=Tres&sec_en=Three"
    "&q_section=0&q_key=a1&q_type=agree&q_es=A1&q_en=A1&q_required=1&q_options=&q_min=&q_max="
    "&q_section=1&q_key=b1&q_type=yesno&q_es=B1&q_en=B1&q_required=0&q_options=&q_min=&q_max="
    "&q_section=1&q_key=b2&q_type=single&q_es=B2&q_en=B2&q_required=1"
    "&q_options=Casa+%7C+Home%0AOficina+%7C+Office&q_min=&q_max="
    "&q_section=2&q_key=c1&q_type=nps&q_es=C1&q_en=C1&q_required=0&q_options=&q_min=&q_max=";

static void text(const char *sql, char *out, size_t n)
{
    out[0] = '\0';
    db_query(data_dir, sql, out, n);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
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

static struct http_response post(const char *fields)
{
    char *body = malloc(strlen(fields) + 200);
    assert_non_null(body);
    sprintf(body, "csrf=%s&%s", ctoken, fields);
    struct http_response r;
    assert_true(post_form(&srv, coord, ED "?lang=en", body, &r));
    free(body);
    return r;
}

/* The value of attribute name in the tag starting at tag (NULL if none). */
static char *attr(const char *tag, const char *name)
{
    const char *end = strchr(tag, '>');
    char pat[40];
    snprintf(pat, sizeof pat, " %s=\"", name);
    const char *p = strstr(tag, pat);
    if (!p || !end || p > end)
        return NULL;
    p += strlen(pat);
    return strndup(p, strcspn(p, "\""));
}

/* s with the escaper's entities turned back into characters (in place). */
static char *unescape(char *s)
{
    static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                                         {"&quot;", "\""}, {"&#39;", "'"}, {"&#x27;", "'"}};
    char *w = s;
    for (const char *p = s; *p;) {
        size_t k, n = sizeof ent / sizeof *ent;
        for (k = 0; k < n && strncmp(p, ent[k][0], strlen(ent[k][0])) != 0; k++)
            ;
        if (k < n) {
            *w++ = ent[k][1][0];
            p += strlen(ent[k][0]);
        } else
            *w++ = *p++;
    }
    *w = '\0';
    return s;
}

static void add_field(char *body, size_t n, const char *name, char *value)
{
    char *enc = curl_easy_escape(NULL, unescape(value), 0);
    assert_non_null(enc);
    size_t l = strlen(body);
    snprintf(body + l, n - l, "&%s=%s", name, enc);
    curl_free(enc);
    free(value);
}

/* The editor form's fields as a browser would send them (without csrf
 * and the buttons), in document order. */
static void form_of(const char *html, char *body, size_t n)
{
    body[0] = '\0';
    const char *p = strstr(html, "id=\"question-editor\"");
    const char *end = p ? strstr(p, "</form>") : NULL;
    assert_non_null(end);
    while ((p = strchr(p + 1, '<')) && p < end) {
        bool input = !strncmp(p, "<input", 6), area = !strncmp(p, "<textarea", 9),
             select = !strncmp(p, "<select", 7);
        if (!input && !area && !select)
            continue;
        char *name = attr(p, "name");
        if (!name)
            continue;
        char *type = attr(p, "type");
        bool skip = !strcmp(name, "csrf") || (type && !strcmp(type, "checkbox"));
        free(type);
        if (skip) {
            free(name);
            continue;
        }
        const char *gt = strchr(p, '>') + 1;
        if (input) {
            char *v = attr(p, "value");
            add_field(body, n, name, v ? v : strdup(""));
        }
        else if (area)
            add_field(body, n, name, strndup(gt, (size_t)(strstr(gt, "</textarea>") - gt)));
        else {
            const char *close = strstr(gt, "</select>");
            const char *sel = strstr(gt, " selected>");
            const char *opt = sel && sel < close ? sel : gt;
            while (opt > gt && strncmp(opt, "<option", 7) != 0)
                opt--;
            add_field(body, n, name, attr(opt, "value"));
        }
        free(name);
    }
}

/* Sends three with op, then the form the answer shows with "save"; returns
 * the stored sections as "title:key,key ...". */
static const char *move_and_save(const char *op)
{
    static char stored[400];
    char body[8200], form[8000];
    snprintf(body, sizeof body, "%s&op=%s", three, op);
    struct http_response r = post(body);
    assert_int_equal(r.status, 200);
    form_of(r.body, form, sizeof form);
    http_free(&r);
    snprintf(body, sizeof body, "%s&op=save", form + 1);
    r = post(body);
    assert_int_equal(r.status, 303);
    http_free(&r);
    text("SELECT group_concat(s.value ->> '$.title.en' || ':' ||"
         " (SELECT group_concat(q.value ->> '$.key', ',') FROM json_each(s.value, '$.questions') q),"
         " ' ') FROM json_each(" DEF ", '$.sections') s", stored, sizeof stored);
    return stored;
}

static void moves_sections_and_saves_them(void **state)
{
    (void)state;
    /* The ready questionnaire: no "up" on the first section, no "down" on
     * the last, both in between. */
    const char *h[] = {coord, NULL};
    struct http_response r;
    assert_true(get_path(&srv, ED "?lang=en", h, &r));
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "value=\"section_up:0\""));
    assert_non_null(strstr(r.body, "value=\"section_down:0\""));
    assert_non_null(strstr(r.body, "value=\"section_up:1\""));
    assert_non_null(strstr(r.body, "value=\"section_down:1\""));
    assert_non_null(strstr(r.body, "Move the section up<span class=\"visually-hidden\"> (Section 2)"));
    http_free(&r);

    char before[8000], after[8000], body[8200];
    text("SELECT " DEF, before, sizeof before);
    /* Section 2 up: its heading and both its questions come first, the
     * typing kept; nothing stored yet. */
    snprintf(body, sizeof body, "%s&op=section_up:1", three);
    r = post(body);
    assert_int_equal(r.status, 200);
    char *two = strstr(r.body, "value=\"Two\""), *one = strstr(r.body, "value=\"One\"");
    char *b1 = strstr(r.body, "value=\"b1\""), *b2 = strstr(r.body, "value=\"b2\"");
    char *a1 = strstr(r.body, "value=\"a1\""), *c1 = strstr(r.body, "value=\"c1\"");
    assert_true(two && one && b1 && b2 && a1 && c1);
    assert_true(two < b1 && b1 < b2 && b2 < one && one < a1 && a1 < c1);
    assert_non_null(strstr(r.body, "Oficina | Office"));
    text("SELECT " DEF, after, sizeof after);
    assert_string_equal(before, after);
    http_free(&r);
    /* That form, saved: the new order is stored. */
    assert_string_equal(move_and_save("section_up:1"), "Two:b1,b2 One:a1 Three:c1");
    /* The middle section down: the last comes before it. */
    assert_string_equal(move_and_save("section_down:1"), "One:a1 Three:c1 Two:b1,b2");
}

static void impossible_moves_are_refused(void **state)
{
    (void)state;
    char before[8000], after[8000], body[8000];
    text("SELECT " DEF, before, sizeof before);
    const char *const ops[] = {"section_up:0", "section_down:2", "section_up:3",
                               "section_down:40", "section_up:-1", "section_up:x",
                               "section_up:", "section_sideways:1"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        snprintf(body, sizeof body, "%s&op=%s", three, ops[i]);
        struct http_response r = post(body);
        if (r.status != 422)
            fail_msg("%s: status %ld", ops[i], r.status);
        assert_non_null(strstr(r.body, "id=\"editor-problem\""));
        /* The form comes back as it was sent. */
        char *one = strstr(r.body, "value=\"One\""), *two = strstr(r.body, "value=\"Two\"");
        assert_true(one && two && one < two);
        http_free(&r);
    }
    /* One section cannot move at all. */
    struct http_response r = post("sec_es=S&sec_en=S&q_section=0&q_key=a&q_type=agree&q_es=H"
                                  "&q_en=H&q_required=1&q_options=&q_min=&q_max=&op=section_down:0");
    assert_int_equal(r.status, 422);
    assert_null(strstr(r.body, "value=\"section_down:0\""));
    http_free(&r);
    text("SELECT " DEF, after, sizeof after);
    assert_string_equal(before, after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(moves_sections_and_saves_them),
        cmocka_unit_test(impossible_moves_are_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
