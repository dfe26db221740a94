/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A material download with a Range header that is not one well-formed byte
 * range: RFC 9110 says it is ignored (200 with the whole file), never
 * served as another range nor refused as unsatisfiable (416, which is for
 * a valid range past the end). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], admin_token[64];
static char path[64];
static unsigned char blob[2000];

/* A 2000-byte PDF as a material of cyberdiplomacy; its path into path. */
static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    if (!serve_start(&srv, data_dir) ||
        !sign_in_admin(&srv, admin, sizeof admin, admin_token, sizeof admin_token))
        return -1;
    static const char head[] = "%PDF-1.4\n";
    memcpy(blob, head, sizeof head - 1);
    for (size_t i = sizeof head - 1; i < sizeof blob; i++)
        blob[i] = (unsigned char)(i * 7 + 3);
    static char body[4096];
    size_t n = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\ncyberdiplomacy\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"title_es\"\r\n\r\nRangos\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"title_en\"\r\n\r\nRanges\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"gaps.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n", admin_token);
    memcpy(body + n, blob, sizeof blob);
    n += sizeof blob;
    n += (size_t)snprintf(body + n, sizeof body - n, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/materials", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    struct http_response r;
    if (!http("POST", url, h, body, n, &r))
        return -1;
    long status = r.status;
    http_free(&r);
    char id[32] = "";
    db_query(data_dir, "SELECT id FROM material WHERE file_name = 'gaps.pdf'", id, sizeof id);
    snprintf(path, sizeof path, "/materials/%ld", atol(id));
    return status == 303 && atol(id) > 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* GET of the material with "Range: range"; the response into r. */
static void get_range(const char *range, struct http_response *r)
{
    char rh[200];
    snprintf(rh, sizeof rh, "Range: %s", range);
    const char *h[] = {admin, rh, NULL};
    assert_true(get_path(&srv, path, h, r));
}

static void expect_whole(const char *range)
{
    struct http_response r;
    char v[100];
    get_range(range, &r);
    if (r.status != 200)
        fail_msg("\"%s\": status %ld, want 200 with the whole file", range, r.status);
    if (header_value(&r, "Content-Range", v, sizeof v))
        fail_msg("\"%s\": Content-Range %s on a whole file", range, v);
    assert_true(header_value(&r, "Content-Length", v, sizeof v));
    assert_int_equal(atol(v), (long)sizeof blob);
    assert_int_equal(r.body_len, sizeof blob);
    assert_memory_equal(r.body, blob, sizeof blob);
    http_free(&r);
}

static void expect_part(const char *range, size_t from, size_t len)
{
    struct http_response r;
    char v[100], want[100];
    get_range(range, &r);
    if (r.status != 206)
        fail_msg("\"%s\": status %ld, want 206", range, r.status);
    snprintf(want, sizeof want, "bytes %zu-%zu/%zu", from, from + len - 1, sizeof blob);
    assert_true(header_value(&r, "Content-Range", v, sizeof v));
    assert_string_equal(v, want);
    assert_int_equal(r.body_len, len);
    assert_memory_equal(r.body, blob + from, len);
    http_free(&r);
}

static void expect_unsatisfiable(const char *range)
{
    struct http_response r;
    char v[100];
    get_range(range, &r);
    if (r.status != 416)
        fail_msg("\"%s\": status %ld, want 416", range, r.status);
    assert_true(header_value(&r, "Content-Range", v, sizeof v));
    assert_string_equal(v, "bytes */2000");
    assert_int_equal(r.body_len, 0);
    http_free(&r);
}

static void malformed_ranges_get_the_whole_file(void **state)
{
    (void)state;
    expect_whole("bytes=-5x");
    expect_whole("bytes=5-3");
    expect_whole("bytes=abc");
    expect_whole("bytes=0-4,10-14");
    /* A sign or a space inside a number is not a number. */
    expect_whole("bytes=-+5");
    expect_whole("bytes=- 5");
    expect_whole("bytes=5--3");
    expect_whole("bytes=5-+9");
    expect_whole("bytes=-");
}

static void well_formed_ranges_are_still_served(void **state)
{
    (void)state;
    expect_part("bytes=5-9", 5, 5);
    expect_part("Bytes=5-9", 5, 5);
    expect_part("bytes=-5", 1995, 5);
    expect_part("bytes=1990-", 1990, 10);
    expect_part("bytes=1990-99999999999999999999999", 1990, 10);
    /* Valid but past the end: 416, with the file's length. */
    expect_unsatisfiable("bytes=2000-");
    expect_unsatisfiable("bytes=-0");
    expect_unsatisfiable("bytes=99999999999999999999999-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(malformed_ranges_get_the_whole_file),
        cmocka_unit_test(well_formed_ranges_are_still_served),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
