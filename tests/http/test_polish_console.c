/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Small things of the console a new user saw: the material list names a
 * file's kind as a word ("PDF document"), never its internal content type
 * ("application/pdf"); every page links a favicon, served with a long cache,
 * and /favicon.ico answers it too rather than a 404. */
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

/* One material of the edition, straight in the database: the list reads
 * only its row. */
static void material(const char *file, const char *type)
{
    char q[600];
    snprintf(q, sizeof q,
             "INSERT INTO material (edition_id, title_es, title_en, file_name, content_type,"
             " size, sha256, created_at, created_by) SELECT id, '%s', '%s', '%s', '%s', 2048,"
             " 'x', '2022-01-01T00:00:00Z', 'test' FROM edition WHERE slug = 'sela-2022'",
             file, file, file, type);
    db_query(data_dir, q, NULL, 0);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    material("guide.pdf", "application/pdf");
    material("notes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    material("slides.pptx",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation");
    material("budget.ods", "application/vnd.oasis.opendocument.spreadsheet");
    material("readme.txt", "text/plain");
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

static void has(const char *body, const char *part)
{
    if (!strstr(body, part))
        fail_msg("\"%s\" not on the page", part);
}

static void material_kinds_are_words(void **state)
{
    (void)state;
    const char *h[] = {admin, NULL};
    struct http_response r;
    assert_true(get_path(&srv, "/admin/events/sela-2022/materials?lang=en", h, &r));
    assert_int_equal(r.status, 200);
    has(r.body, "guide.pdf <span class=\"meta\">(PDF document, 2 kB)");
    has(r.body, "notes.docx <span class=\"meta\">(Word document, 2 kB)");
    has(r.body, "slides.pptx <span class=\"meta\">(Presentation, 2 kB)");
    has(r.body, "budget.ods <span class=\"meta\">(Spreadsheet, 2 kB)");
    has(r.body, "readme.txt <span class=\"meta\">(File, 2 kB)");
    assert_null(strstr(r.body, "application/"));
    assert_null(strstr(r.body, "text/plain"));
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/materials?lang=es", h, &r));
    assert_int_equal(r.status, 200);
    has(r.body, "guide.pdf <span class=\"meta\">(Documento PDF, 2 kB)");
    has(r.body, "budget.ods <span class=\"meta\">(Hoja de c\xc3\xa1lculo, 2 kB)");
    has(r.body, "readme.txt <span class=\"meta\">(Archivo, 2 kB)");
    http_free(&r);
}

/* An icon answered: an SVG drawing, cached for at least a week. */
static void icon_at(const char *path)
{
    struct http_response r;
    char v[200];
    assert_true(get_path(&srv, path, NULL, &r));
    if (r.status != 200)
        fail_msg("%s: %ld", path, r.status);
    assert_true(header_value(&r, "Content-Type", v, sizeof v));
    assert_string_equal(v, "image/svg+xml");
    assert_non_null(strstr(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_true(header_value(&r, "Cache-Control", v, sizeof v));
    const char *age = strstr(v, "max-age=");
    assert_non_null(age);
    if (atol(age + 8) < 7 * 24 * 3600)
        fail_msg("%s: %s", path, v);
    http_free(&r);
}

static void favicon_is_linked_and_served(void **state)
{
    (void)state;
    struct http_response r;
    assert_true(get_path(&srv, "/events/sela-2022", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<link rel=\"icon\" href=\"/static/favicon.svg\""));
    http_free(&r);
    icon_at("/static/favicon.svg");
    icon_at("/favicon.ico");
    /* The style sheet keeps its short cache; no other icon is made up. */
    char v[200];
    assert_true(get_path(&srv, "/static/aula.css", NULL, &r));
    assert_true(header_value(&r, "Cache-Control", v, sizeof v));
    assert_string_equal(v, "public, max-age=3600");
    http_free(&r);
    assert_true(get_path(&srv, "/static/favicon.png", NULL, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(material_kinds_are_words),
        cmocka_unit_test(favicon_is_linked_and_served),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
