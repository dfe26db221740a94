/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of console pages (issue 14): an application's language and
 * time zone in words, the navigation marking the right section on pages
 * whose address lies outside it, and invitations a schedule change left out
 * of date among the home's next steps until their updates are sent. */
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
static char admin[400], atoken[64];
static char coord[400], ctoken[64];

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    add_registered_participant(data_dir, "lucia@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "john@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET language = 'en' WHERE email = 'john@example.org'", NULL, 0);
    db_query(data_dir, "UPDATE application SET city = 'Caracas', time_zone = 'America/Caracas',"
                       " registered_at = '2026-01-02T00:00:00Z' WHERE email = 'lucia@example.org'",
             NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in(&srv, "admin%40example.org", "admin-password-1", admin, sizeof admin, atoken,
                   sizeof atoken) &&
           sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord, sizeof coord,
                   ctoken, sizeof ctoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    serve_stop(&srv, 5000);
    remove_tree(data_dir);
    curl_global_cleanup();
    return 0;
}

/* The page at path as who sees it (status 200 asserted); the caller frees. */
static char *page(const char *who, const char *path)
{
    struct http_response r;
    const char *h[] = {who, NULL};
    assert_true(get_path(&srv, path, h, &r));
    if (r.status != 200)
        fail_msg("%s: HTTP %ld", path, r.status);
    char *body = strdup(r.body);
    http_free(&r);
    return body;
}

static void application_path(const char *email, const char *lang, char *out, size_t n)
{
    char q[200], id[32];
    snprintf(q, sizeof q, "SELECT id FROM application WHERE email = '%s'", email);
    db_query(data_dir, q, id, sizeof id);
    assert_true(*id);
    snprintf(out, n, "/admin/applications/%s?lang=%s", id, lang);
}

static void application_language_in_words(void **state)
{
    (void)state;
    char path[100];
    application_path("lucia@example.org", "en", path, sizeof path);
    char *b = page(coord, path);
    assert_non_null(strstr(b, "<dd>Spanish</dd>"));
    assert_null(strstr(b, "<dd>es</dd>"));
    /* The zone as the place it was chosen by, not its tz database name. */
    assert_non_null(strstr(b, "Caracas (Venezuela — Caracas)"));
    assert_null(strstr(b, "America/Caracas"));
    free(b);
    application_path("lucia@example.org", "es", path, sizeof path);
    b = page(coord, path);
    assert_non_null(strstr(b, "<dd>Español</dd>"));
    free(b);
    application_path("john@example.org", "es", path, sizeof path);
    b = page(coord, path);
    assert_non_null(strstr(b, "<dd>Inglés</dd>"));
    assert_null(strstr(b, "<dd>en</dd>"));
    free(b);
}

/* The section the console bar of path marks as current (its href). */
static void current_section(const char *who, const char *path, char *out, size_t n)
{
    char *b = page(who, path);
    const char *nav = strstr(b, "<nav class=\"console-nav\"");
    assert_non_null(nav);
    const char *end = strstr(nav, "</nav>");
    const char *cur = strstr(nav, "\" aria-current=\"page\"");
    if (!cur || cur > end)
        fail_msg("no current section on %s", path);
    const char *href = cur;
    while (href > nav && strncmp(href, "href=\"", 6) != 0)
        href--;
    snprintf(out, n, "%.*s", (int)(cur - href - 6), href + 6);
    /* One section only. */
    const char *again = strstr(cur + 20, "aria-current=\"page\"");
    if (again && again < end)
        fail_msg("two current sections on %s", path);
    free(b);
}

static void navigation_marks_the_section(void **state)
{
    (void)state;
    char app[100], cur[200];
    application_path("lucia@example.org", "es", app, sizeof app);
    const char *const cases[][2] = {
        {"/admin/events/sela-2022/courses/cyberdiplomacy/invitations", "/admin/events/sela-2022/applications"},
        {"/admin/events/sela-2022/invitation-updates", "/admin/events/sela-2022/applications"},
        {"/admin/events/sela-2022/courses/cyberdiplomacy/evaluation", "/admin/events/sela-2022/evaluation"},
        {app, "/admin/events/sela-2022/applications"},
        /* And the pages that were right stay right. */
        {"/admin/events/sela-2022", "/admin/events/sela-2022"},
        {"/admin/events/sela-2022/applications", "/admin/events/sela-2022/applications"},
        {"/admin/events/sela-2022/certificates/issue?course=cyberdiplomacy", "/admin/events/sela-2022/certificates"},
        {"/admin", "/admin"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        /* As an administrator, whose bar also has the programme. */
        current_section(admin, cases[i][0], cur, sizeof cur);
        if (strcmp(cur, cases[i][1]) != 0)
            fail_msg("%s marks %s, not %s", cases[i][0], cur, cases[i][1]);
    }
}

/* True when the home's next steps (English) include text linking to href. */
static bool home_has_step(const char *text, const char *href)
{
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin?format=json&lang=en", h, &r));
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(j);
    bool found = false;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(json_array_get(json_object_get(j, "editions"), 0), "next_steps"), i, s) {
        const char *en = json_string_value(json_object_get(json_object_get(s, "text"), "en"));
        const char *to = json_string_value(json_object_get(s, "href"));
        if (en && strcmp(en, text) == 0 && to && strcmp(to, href) == 0)
            found = true;
    }
    json_decref(j);
    return found;
}

static void outdated_invitations_are_a_next_step(void **state)
{
    (void)state;
    const char *step = "2 invitations to Specialisation course on Cyberdiplomacy are out of date"
                       " after a schedule change: send the updates";
    const char *updates = "/admin/events/sela-2022/invitation-updates";
    char body[200], path[100], block[32];
    struct http_response r;
    snprintf(body, sizeof body, "csrf=%s", ctoken);
    assert_true(post_confirmed(&srv, coord, "/admin/events/sela-2022/courses/cyberdiplomacy/invitations",
                               body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    /* Sent at the current times: nothing out of date. */
    assert_false(home_has_step(step, updates));
    db_query(data_dir, "SELECT b.id FROM time_block b JOIN course_day d ON d.id = b.day_id JOIN course c"
                       " ON c.id = d.course_id WHERE c.slug = 'cyberdiplomacy' ORDER BY d.day,"
                       " b.start_local LIMIT 1", block, sizeof block);
    snprintf(body, sizeof body, "csrf=%s&start_local=08%%3A30&end_local=09%%3A15", atoken);
    snprintf(path, sizeof path, "/admin/block/%s/edit", block);
    assert_true(post_form(&srv, admin, path, body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_true(home_has_step(step, updates));
    /* The other course's invitations were not touched. */
    assert_false(home_has_step("2 invitations to Specialisation course on Techplomacy are out of date"
                               " after a schedule change: send the updates", updates));
    char *b = page(coord, "/admin?lang=es");
    assert_non_null(strstr(b, "2 invitaciones a Curso de especialización en Ciberdiplomacia quedaron"
                              " desactualizadas por un cambio de horario"));
    free(b);
    snprintf(body, sizeof body, "csrf=%s", ctoken);
    assert_true(post_confirmed(&srv, coord, updates, body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_false(home_has_step(step, updates));
}

/* Coordinators say who a Zoom row is (the journey is theirs); they
 * do not see the controls only administrators may use. */
static void coordinators_assign_rows(void **state)
{
    (void)state;
    char *b = page(coord, "/admin/events/sela-2022/attendance?course=cyberdiplomacy");
    assert_null(strstr(b, "/attendance/override"));
    assert_null(strstr(b, "/attendance/revoke-link"));
    free(b);
    b = page(admin, "/admin/events/sela-2022/attendance?course=cyberdiplomacy");
    assert_non_null(strstr(b, "/attendance/override"));
    assert_non_null(strstr(b, "/attendance/revoke-link"));
    free(b);
    char body[300], n[32];
    struct http_response r;
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&name_key=interprete%%20en&application=0",
             ctoken);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/attendance/match", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    db_query(data_dir, "SELECT count(*) FROM name_match WHERE name_key = 'interprete en'"
                       " AND decided_by = 'coordinator@example.org'", n, sizeof n);
    assert_string_equal(n, "1");
    /* The audit log says it in the reader's words. */
    b = page(admin, "/admin/audit?lang=es");
    assert_non_null(strstr(b, "\xc2\xabinterprete en\xc2\xbb no es participante"));
    assert_null(strstr(b, "is not a participant"));
    free(b);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/attendance/unmatch", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    db_query(data_dir, "SELECT count(*) FROM name_match WHERE name_key = 'interprete en'", n, sizeof n);
    assert_string_equal(n, "0");
    /* Changing minutes by hand stays with administrators. */
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&enrolment=1&day=1&minutes=10&reason=x",
             ctoken);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/attendance/override", body, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(application_language_in_words),
        cmocka_unit_test(navigation_marks_the_section),
        cmocka_unit_test(outdated_invitations_are_a_next_step),
        cmocka_unit_test(coordinators_assign_rows),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
