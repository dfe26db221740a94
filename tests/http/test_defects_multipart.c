/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box test of the multipart reader: two fields with the same name are
 * two values (the first counts for a single field), never one joined value. */
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
static char admin[400], admin_token[64];

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, admin_token, sizeof admin_token) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static long upload(const char *const *fields, const char *file_name)
{
    char b[4096];
    size_t n = 0;
    for (const char *const *f = fields; *f; f += 2)
        n += (size_t)snprintf(b + n, sizeof b - n,
                              "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
                              f[0], f[1]);
    n += (size_t)snprintf(b + n, sizeof b - n,
                          "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                          "Content-Type: application/pdf\r\n\r\n%s\r\n--XyZ--\r\n",
                          file_name, PDF);
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/materials", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    struct http_response r;
    assert_true(http("POST", url, h, b, n, &r));
    long status = r.status;
    free(r.headers);
    free(r.body);
    return status;
}

static void same_name_fields_are_not_joined(void **state)
{
    (void)state;
    const char *f[] = {"csrf", admin_token, "course", "cyberdiplomacy", "title_es", "Primero",
                       "title_es", "Segundo", NULL};
    assert_int_equal(upload(f, "twice.pdf"), 303);
    char out[200];
    db_query(data_dir, "SELECT title_es FROM material WHERE file_name = 'twice.pdf'", out,
             sizeof out);
    assert_string_equal(out, "Primero");
}

static void a_doubled_csrf_field_is_still_the_token(void **state)
{
    (void)state;
    /* Joined, the two tokens would be refused as a forged form. */
    const char *f[] = {"csrf", admin_token, "csrf", admin_token, "course", "cyberdiplomacy",
                       "title_es", "Dos veces", NULL};
    assert_int_equal(upload(f, "csrf2.pdf"), 303);
    char out[200];
    db_query(data_dir, "SELECT count(*) FROM material WHERE file_name = 'csrf2.pdf'", out,
             sizeof out);
    assert_string_equal(out, "1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_name_fields_are_not_joined),
        cmocka_unit_test(a_doubled_csrf_field_is_still_the_token),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
