/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the organisation's identity in the console: the logo
 * (PNG or JPEG only, decided from the bytes, at most 1 MB, served with its
 * type and shown in the header) and the public address, which the console
 * asks for while links would point at localhost. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cairo.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];
static char coord[400], ctoken[64];
static char trainer[400], ttoken[64];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) &&
           sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) &&
           sign_in(&srv, "trainer%40example.org", "trainer-password-1", trainer, sizeof trainer,
                   ttoken, sizeof ttoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static int count(const char *sql)
{
    char out[32] = "";
    db_query(data_dir, sql, out, sizeof out);
    return atoi(out);
}

static char *multipart(const char *csrf, const char *file_name, const void *data, size_t len,
                       size_t *out_len)
{
    size_t cap = len + 4096;
    char *b = malloc(cap);
    assert_non_null(b);
    size_t n = (size_t)snprintf(b, cap,
                                "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                                "--XyZ\r\nContent-Disposition: form-data; name=\"file\";"
                                " filename=\"%s\"\r\nContent-Type: image/png\r\n\r\n",
                                csrf, file_name);
    memcpy(b + n, data, len);
    n += len;
    n += (size_t)snprintf(b + n, cap - n, "\r\n--XyZ--\r\n");
    *out_len = n;
    return b;
}

static long upload(const char *who, const char *csrf, const char *name, const void *data,
                   size_t len)
{
    size_t blen;
    char *body = multipart(csrf, name, data, len, &blen);
    char url[300];
    snprintf(url, sizeof url, "%s/admin/settings/logo", srv.origin);
    const char *h[] = {who, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    struct http_response r;
    assert_true(http("POST", url, h, body, blen, &r));
    free(body);
    long status = r.status;
    http_free(&r);
    return status;
}

static char *get_body(const char *who, const char *path, long *status)
{
    struct http_response r;
    const char *h[] = {who, NULL};
    assert_true(get_path(&srv, path, who ? h : NULL, &r));
    *status = r.status;
    char *b = strdup(r.body ? r.body : "");
    http_free(&r);
    return b;
}

struct png {
    unsigned char *data;
    size_t len, cap;
};

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int n)
{
    struct png *p = closure;
    if (p->len + n > p->cap) {
        p->cap = (p->len + n) * 2;
        p->data = realloc(p->data, p->cap);
        if (!p->data)
            return CAIRO_STATUS_NO_MEMORY;
    }
    memcpy(p->data + p->len, data, n);
    p->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* A small real PNG: a navy square. */
static struct png make_png(void)
{
    struct png p = {0};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 40, 20);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.1, 0.2, 0.4);
    cairo_paint(cr);
    cairo_destroy(cr);
    assert_int_equal(cairo_surface_write_to_png_stream(s, png_write, &p), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return p;
}

static void a_png_logo_is_stored_served_and_shown(void **state)
{
    (void)state;
    long status;
    struct png png = make_png();
    /* Only administrators. */
    assert_int_equal(upload(coord, ctoken, "logo.png", png.data, png.len), 403);
    assert_int_equal(count("SELECT count(*) FROM site_file"), 0);

    assert_int_equal(upload(admin, atoken, "logo.png", png.data, png.len), 303);
    assert_int_equal(count("SELECT count(*) FROM site_file WHERE name = 'logo'"
                           " AND content_type = 'image/png'"), 1);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'file.set'"
                           " AND subject = 'logo' AND actor = 'admin@example.org'"), 1);

    /* Served to anyone with its type, byte for byte. */
    struct http_response r;
    assert_true(get_path(&srv, "/logo", NULL, &r));
    assert_int_equal(r.status, 200);
    char type[100];
    assert_true(header_value(&r, "Content-Type", type, sizeof type));
    assert_string_equal(type, "image/png");
    assert_true(header_value(&r, "X-Content-Type-Options", type, sizeof type));
    assert_string_equal(type, "nosniff");
    assert_int_equal(r.body_len, png.len);
    assert_memory_equal(r.body, png.data, png.len);
    http_free(&r);

    /* In the header of public pages (also cached ones) and the console. */
    char *page = get_body(NULL, "/events/sela-2022", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "<img class=\"brand-logo\" src=\"/logo?v="));
    free(page);
    page = get_body(admin, "/admin/settings", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "class=\"logo-preview\""));
    free(page);
    free(png.data);
}

static void other_files_are_refused(void **state)
{
    (void)state;
    char before[100] = "";
    db_query(data_dir, "SELECT sha256 FROM site_file WHERE name = 'logo'", before, sizeof before);
    assert_true(strlen(before) == 64);

    static const char svg[] = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
                              " width=\"10\" height=\"10\"><script>alert(1)</script>"
                              "<rect width=\"10\" height=\"10\"/></svg>\n";
    assert_int_equal(upload(admin, atoken, "logo.svg", svg, sizeof svg - 1), 415);
    static const char html[] = "<!doctype html><html><body><script>alert(1)</script></body></html>\n";
    assert_int_equal(upload(admin, atoken, "logo.png", html, sizeof html - 1), 415);
    /* A PNG signature followed by garbage: not an image cairo can read. */
    static const unsigned char broken[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDRgarbage-garbage-garbage";
    assert_int_equal(upload(admin, atoken, "broken.png", broken, sizeof broken - 1), 422);
    /* Larger than 1 MB. */
    struct png png = make_png();
    size_t big = 1024 * 1024 + 1;
    unsigned char *huge = calloc(1, big);
    assert_non_null(huge);
    memcpy(huge, png.data, png.len);
    assert_int_equal(upload(admin, atoken, "huge.png", huge, big), 413);
    free(huge);
    free(png.data);
    /* Nothing sent. */
    assert_int_equal(upload(admin, atoken, "", "", 0), 422);

    char after[100] = "";
    db_query(data_dir, "SELECT sha256 FROM site_file WHERE name = 'logo'", after, sizeof after);
    assert_string_equal(after, before);
    struct http_response r;
    assert_true(get_path(&srv, "/logo", NULL, &r));
    char type[100];
    assert_true(header_value(&r, "Content-Type", type, sizeof type));
    assert_string_equal(type, "image/png");
    http_free(&r);

    /* Removing it. */
    char body[200];
    snprintf(body, sizeof body, "csrf=%s", ctoken);
    assert_true(post_form(&srv, coord, "/admin/settings/logo/delete", body, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s", atoken);
    assert_true(post_form(&srv, admin, "/admin/settings/logo/delete", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM site_file"), 0);
    assert_true(get_path(&srv, "/logo", NULL, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
    long status;
    char *page = get_body(NULL, "/events/sela-2022", &status);
    assert_null(strstr(page, "brand-logo"));
    free(page);
}

static long set_address(const char *who, const char *token, const char *url)
{
    char body[400];
    snprintf(body, sizeof body, "csrf=%s&base_url=%s", token, url);
    struct http_response r;
    assert_true(post_form(&srv, who, "/admin/settings/address", body, &r));
    long status = r.status;
    http_free(&r);
    return status;
}

static void localhost_warning_until_an_address_is_set(void **state)
{
    (void)state;
    long status;
    /* The test server's links point at localhost: coordinators and
     * administrators are told, administrators where to fix it. */
    char *page = get_body(admin, "/admin", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "id=\"address-warning\""));
    assert_non_null(strstr(page, "<a href=\"/admin/settings\">"));
    free(page);
    page = get_body(coord, "/admin/events/sela-2022/certificates", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "id=\"address-warning\""));
    assert_null(strstr(page, "<a href=\"/admin/settings\">"));
    free(page);
    page = get_body(trainer, "/admin", &status);
    assert_int_equal(status, 200);
    assert_null(strstr(page, "id=\"address-warning\""));
    free(page);
    /* Public pages never show it. */
    page = get_body(NULL, "/events/sela-2022", &status);
    assert_null(strstr(page, "address-warning"));
    free(page);

    /* Refused: not an administrator; a path; another scheme; credentials. */
    assert_int_equal(set_address(coord, ctoken, "https%3A%2F%2Faula.example.org"), 403);
    assert_int_equal(set_address(admin, atoken, "https%3A%2F%2Faula.example.org%2Fsome%2Fpath"), 422);
    assert_int_equal(set_address(admin, atoken, "javascript%3Aalert(1)"), 422);
    assert_int_equal(set_address(admin, atoken, "ftp%3A%2F%2Faula.example.org"), 422);
    assert_int_equal(set_address(admin, atoken, "http%3A%2F%2Fuser%40aula.example.org"), 422);
    assert_int_equal(count("SELECT count(*) FROM site_setting"), 0);
    page = get_body(admin, "/admin", &status);
    assert_non_null(strstr(page, "id=\"address-warning\""));
    free(page);

    /* Set (http, so the test's cookies keep working over plain HTTP). */
    assert_int_equal(set_address(admin, atoken, "http%3A%2F%2Faula.example.org%2F"), 303);
    char out[200] = "";
    db_query(data_dir, "SELECT value FROM site_setting WHERE name = 'base_url'", out, sizeof out);
    assert_string_equal(out, "http://aula.example.org");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'setting.set'"
                           " AND subject = 'base_url'"), 1);
    page = get_body(admin, "/admin", &status);
    assert_null(strstr(page, "address-warning"));
    free(page);
    page = get_body(coord, "/admin/events/sela-2022/certificates", &status);
    assert_null(strstr(page, "address-warning"));
    free(page);

    /* Links made from now on use it. */
    char body[300];
    snprintf(body, sizeof body, "csrf=%s&email=links%%40example.org&role=trainer&language=es",
             atoken);
    struct http_response r;
    assert_true(post_form(&srv, admin, "/admin/people", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE to_addr = 'links@example.org'"
                           " AND instr(body_text, 'http://aula.example.org/password/') > 0"), 1);

    /* The outbox shows its statuses and times in words. */
    page = get_body(admin, "/admin/outbox", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "links@example.org"));
    assert_true(strstr(page, "<td>en cola") || strstr(page, "<td>enviado") ||
                strstr(page, "<td>enviándose"));
    assert_null(strstr(page, "<td>queued"));
    assert_null(strstr(page, "<td>sent"));
    assert_null(strstr(page, "<td>sending"));
    assert_null(strstr(page, "Z</td>"));
    free(page);

    /* And after a restart. */
    assert_int_equal(serve_stop(&srv, 5000), 0);
    assert_true(serve_start(&srv, data_dir));
    assert_true(sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken));
    page = get_body(admin, "/admin", &status);
    assert_int_equal(status, 200);
    assert_null(strstr(page, "address-warning"));
    free(page);
    page = get_body(admin, "/admin/settings", &status);
    assert_non_null(strstr(page, "http://aula.example.org"));
    free(page);
}

static void the_organisation_is_named_in_the_console(void **state)
{
    (void)state;
    char body[400];
    struct http_response r;
    snprintf(body, sizeof body, "csrf=%s&name_es=Sistema+Econ%%C3%%B3mico&name_en=Economic+System"
                                "&short_name=SELA", ctoken);
    assert_true(post_form(&srv, coord, "/admin/settings/organisation", body, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&name_es=&name_en=Economic+System", atoken);
    assert_true(post_form(&srv, admin, "/admin/settings/organisation", body, &r));
    assert_int_equal(r.status, 422);
    http_free(&r);
    char out[200] = "";
    db_query(data_dir, "SELECT name_es FROM organisation ORDER BY id LIMIT 1", out, sizeof out);
    assert_string_not_equal(out, "");
    assert_int_equal(count("SELECT count(*) FROM organisation WHERE name_es = 'Sistema Econ\xc3\xb3mico'"), 0);

    snprintf(body, sizeof body, "csrf=%s&name_es=Sistema+Econ%%C3%%B3mico&name_en=Economic+System"
                                "&short_name=SELA", atoken);
    assert_true(post_form(&srv, admin, "/admin/settings/organisation", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    db_query(data_dir, "SELECT name_es || '|' || name_en || '|' || short_name FROM organisation"
                       " ORDER BY id LIMIT 1", out, sizeof out);
    assert_string_equal(out, "Sistema Econ\xc3\xb3mico|Economic System|SELA");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'setting.set'"
                           " AND subject = 'organisation' AND actor = 'admin@example.org'"), 1);
    long status;
    char *page = get_body(admin, "/admin/settings", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "value=\"Economic System\""));
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_png_logo_is_stored_served_and_shown),
        cmocka_unit_test(other_files_are_refused),
        cmocka_unit_test(the_organisation_is_named_in_the_console),
        cmocka_unit_test(localhost_warning_until_an_address_is_set),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
