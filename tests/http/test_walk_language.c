/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the language switch in the page header: it leads to
 * the same page in the other language, keeping what the address says about
 * the page (a form's ?parent=, a course chosen with ?course=), so pressing
 * "English" on the form for a new topic no longer ends on "Not found".  A
 * one-time notice (?saved=1) is not repeated, a value from the address is
 * escaped, and the audit page names a report download in words.  An
 * application's page names the preferred language ("English"), not its
 * code ("en"), and a certificate's public page writes out its dates
 * ("2 December 2026", not "2026-12-02"). */
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
static char admin[400], atoken[64];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

/* The href of the header's language switch (the link with hreflang), the
 * template's &amp; turned back into &. */
static bool switch_href(const char *html, char *out, size_t n)
{
    const char *h = strstr(html, "hreflang=");
    if (!h)
        return false;
    const char *start = h;
    while (start > html && strncmp(start, "<a href=\"", 9) != 0)
        start--;
    if (start == html)
        return false;
    start += 9;
    const char *end = strchr(start, '"');
    if (!end || end > h)
        return false;
    size_t o = 0;
    for (const char *p = start; p < end && o + 1 < n; p++) {
        if (strncmp(p, "&amp;", 5) == 0) {
            out[o++] = '&';
            p += 4;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return true;
}

/* GETs path as the administrator (or anonymously) and returns the switch. */
static void switch_of(const char *path, bool signed_in, char *href, size_t n,
                      struct http_response *r)
{
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, path, signed_in ? h : NULL, r));
    assert_int_equal(r->status, 200);
    assert_true(switch_href(r->body, href, n));
}

static void switch_keeps_the_form_parent(void **state)
{
    (void)state;
    const char *h[] = {admin, NULL};
    char href[512];
    struct http_response r;
    switch_of("/admin/topic/new?parent=1&lang=es", true, href, sizeof href, &r);
    assert_non_null(strstr(r.body, "<html lang=\"es\""));
    http_free(&r);
    assert_string_equal(href, "/admin/topic/new?parent=1&lang=en");
    /* Following it draws the same form, now in English. */
    assert_true(get_path(&srv, href, h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<html lang=\"en\""));
    http_free(&r);
    /* And back again. */
    switch_of("/admin/topic/new?parent=1&lang=en", true, href, sizeof href, &r);
    http_free(&r);
    assert_string_equal(href, "/admin/topic/new?parent=1&lang=es");
    /* Without its parent the form is not found: what the switch used to lead to. */
    assert_true(get_path(&srv, "/admin/topic/new?lang=en", h, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
}

static void switch_keeps_the_chosen_course(void **state)
{
    (void)state;
    const char *h[] = {admin, NULL};
    char href[512];
    struct http_response r;
    switch_of("/admin/events/sela-2022/certificates/issue?course=cyberdiplomacy", true, href,
              sizeof href, &r);
    http_free(&r);
    assert_non_null(strstr(href, "course=cyberdiplomacy"));
    assert_true(get_path(&srv, href, h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
}

static void switch_drops_the_notice_and_escapes(void **state)
{
    (void)state;
    char href[512];
    struct http_response r;
    switch_of("/admin/events/sela-2022?saved=1&lang=es", true, href, sizeof href, &r);
    http_free(&r);
    assert_string_equal(href, "/admin/events/sela-2022?lang=en");
    /* A value from the address is encoded, never markup on the page. */
    switch_of("/events/sela-2022/agenda?q=%22%3E%3Cb%3Ex&lang=es", false, href, sizeof href, &r);
    assert_null(strstr(r.body, "\"><b>x"));
    http_free(&r);
    assert_string_equal(href, "/events/sela-2022/agenda?q=%22%3E%3Cb%3Ex&lang=en");
    /* A page without arguments: only the language. */
    switch_of("/events/sela-2022", false, href, sizeof href, &r);
    http_free(&r);
    assert_string_equal(href, "/events/sela-2022?lang=en");
}

static void audit_names_a_report_download(void **state)
{
    (void)state;
    const char *h[] = {admin, NULL};
    struct http_response r;
    assert_true(get_path(&srv, "/admin/events/sela-2022/report.xlsx?lang=en", h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(db_count(data_dir, "SELECT count(*) FROM audit_log"
                                        " WHERE action = 'report.download'"), 1);
    assert_true(get_path(&srv, "/admin/audit?lang=en", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Final report downloaded"));
    assert_null(strstr(r.body, "report.download"));
    http_free(&r);
    assert_true(get_path(&srv, "/admin/audit?lang=es", h, &r));
    assert_non_null(strstr(r.body, "Informe final descargado"));
    assert_null(strstr(r.body, "report.download"));
    http_free(&r);
}

static void application_names_its_language(void **state)
{
    (void)state;
    const char *h[] = {admin, NULL};
    add_registered_participant(data_dir, "walk.lang@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET language = 'en'"
                       " WHERE email = 'walk.lang@example.org'", NULL, 0);
    char id[32] = "", path[96];
    db_query(data_dir, "SELECT id FROM application WHERE email = 'walk.lang@example.org'", id,
             sizeof id);
    assert_true(atol(id) > 0);
    snprintf(path, sizeof path, "/admin/applications/%s?lang=es", id);
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<dd>Inglés</dd>"));
    assert_null(strstr(r.body, "<dd>en</dd>"));
    http_free(&r);
    snprintf(path, sizeof path, "/admin/applications/%s?lang=en", id);
    assert_true(get_path(&srv, path, h, &r));
    assert_non_null(strstr(r.body, "<dd>English</dd>"));
    assert_null(strstr(r.body, "<dd>en</dd>"));
    http_free(&r);
}

static void verify_page_writes_out_dates(void **state)
{
    (void)state;
    add_registered_participant(data_dir, "walk.cert@example.org", "cyberdiplomacy");
    db_query(data_dir,
             "INSERT INTO certificate (number, enrolment_id, facts, signature, key_id, status,"
             " issued_at, issued_by, revoked_at, revoke_reason)"
             " SELECT 'SELA-2022-CYB-0099-WALKWALK', en.id,"
             " '{\"number\":\"SELA-2022-CYB-0099-WALKWALK\",\"name\":\"Test Participant\","
             "\"issued_on\":\"2026-12-02\",\"hours\":8}', 'x', 'k', 'revoked',"
             " '2026-12-02T06:36:00Z', 'admin@example.org', '2026-12-03T10:15:00Z', 'error'"
             " FROM enrolment en JOIN application a ON a.id = en.application_id"
             " WHERE a.email = 'walk.cert@example.org'", NULL, 0);
    struct http_response r;
    assert_true(get_path(&srv, "/verify/SELA-2022-CYB-0099-WALKWALK?lang=en", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<dd>Wednesday, 2 December 2026</dd>"));
    assert_non_null(strstr(r.body, "Thursday, 3 December 2026, 10:15"));
    assert_null(strstr(r.body, "2026-12-02"));
    assert_null(strstr(r.body, "2026-12-03T"));
    http_free(&r);
    assert_true(get_path(&srv, "/verify/SELA-2022-CYB-0099-WALKWALK?lang=es", NULL, &r));
    assert_non_null(strstr(r.body, "<dd>miércoles, 2 de diciembre de 2026</dd>"));
    http_free(&r);
    /* The JSON keeps the signed facts exactly as they were signed. */
    const char *json[] = {"Accept: application/json", NULL};
    assert_true(get_path(&srv, "/verify/SELA-2022-CYB-0099-WALKWALK", json, &r));
    assert_non_null(strstr(r.body, "\"issued_on\": \"2026-12-02\""));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(switch_keeps_the_form_parent),
        cmocka_unit_test(switch_keeps_the_chosen_course),
        cmocka_unit_test(switch_drops_the_notice_and_escapes),
        cmocka_unit_test(audit_names_a_report_download),
        cmocka_unit_test(application_names_its_language),
        cmocka_unit_test(verify_page_writes_out_dates),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
