/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* JPEG logos (issue 14): the console takes a JPEG it can draw and refuses
 * one it cannot (truncated, CMYK); a certificate issued afterwards carries
 * the JPEG as an image poppler reads back (pdfimages -list: enc "jpeg", the
 * logo's size), in colour or grey. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    add_registered_participant(data_dir, "ana@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "luis@example.org", "techplomacy");
    db_query(data_dir, "INSERT INTO eligibility_grant (enrolment_id, reason, granted_by, granted_at)"
                       " SELECT id, 'test', 'admin@example.org', '2026-01-01T00:00:00Z' FROM enrolment",
             NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in(&srv, "admin%40example.org", "admin-password-1", admin, sizeof admin, atoken,
                   sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    serve_stop(&srv, 5000);
    remove_tree(data_dir);
    curl_global_cleanup();
    return 0;
}

/* A JPEG as a camera or an editor writes it, by libjpeg: w×h, with a
 * gradient so that it is not one flat colour.  components 1 (grey), 3
 * (YCbCr) or 4 (CMYK, which the console must refuse). */
static unsigned char *make_jpeg(int w, int h, int components, bool progressive, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    unsigned char *out = NULL;
    unsigned long n = 0;
    jpeg_mem_dest(&c, &out, &n);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = components;
    c.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 85, TRUE);
    if (progressive)
        jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)w * (size_t)components);
    assert_non_null(row);
    while (c.next_scanline < c.image_height) {
        for (int x = 0; x < w; x++)
            for (int k = 0; k < components; k++)
                row[x * components + k] = (unsigned char)((x * 255 / w + (int)c.next_scanline * 2 + k * 60) & 0xff);
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = n;
    return out;
}

static long upload(const char *name, const unsigned char *data, size_t len)
{
    size_t cap = len + 4096;
    char *body = malloc(cap);
    assert_non_null(body);
    size_t n = (size_t)snprintf(body, cap,
                                "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                                "--XyZ\r\nContent-Disposition: form-data; name=\"file\";"
                                " filename=\"%s\"\r\nContent-Type: image/jpeg\r\n\r\n",
                                atoken, name);
    memcpy(body + n, data, len);
    n += len;
    n += (size_t)snprintf(body + n, cap - n, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s/admin/settings/logo", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    struct http_response r;
    assert_true(http("POST", url, h, body, n, &r));
    free(body);
    long status = r.status;
    http_free(&r);
    return status;
}

static void stored_logo(char *sha, size_t n)
{
    db_query(data_dir, "SELECT sha256 FROM site_file WHERE name = 'logo'", sha, n);
}

static void unreadable_jpegs_are_refused(void **state)
{
    (void)state;
    char before[80] = "", after[80] = "";
    size_t len;
    unsigned char *cmyk = make_jpeg(64, 32, 4, false, &len);
    assert_int_equal(upload("cmyk.jpg", cmyk, len), 422);
    free(cmyk);
    unsigned char *good = make_jpeg(64, 32, 3, false, &len);
    /* Cut after the header: the type says JPEG, the pixels are missing. */
    assert_int_equal(upload("cut.jpg", good, len / 3), 422);
    free(good);
    /* Wider than a logo may be (4096 pixels): refused from its header. */
    unsigned char *wide = make_jpeg(4100, 8, 3, false, &len);
    assert_int_equal(upload("wide.jpg", wide, len), 422);
    free(wide);
    stored_logo(after, sizeof after);
    assert_string_equal(before, after);
}

/* pdfimages -list's rows for the images of pdf: "type width height ... enc". */
static void image_list(const char *pdf, char *out, size_t n)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "pdfimages -list '%s' 2>&1", pdf);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, n - 1, p);
    out[got] = '\0';
    assert_int_equal(pclose(p), 0);
}

/* Issues the course's certificates with the command (the console's code)
 * and lists the images of the one issued to email. */
static void issue_and_list(const char *course, const char *email, char *list, size_t n)
{
    char out[4096], q[400], number[64] = "";
    int rc = run_aula(NULL, out, sizeof out, "certificates", "issue", "--data", data_dir,
                      "--event", "sela-2022", "--course", course, NULL);
    if (rc != 0)
        fail_msg("aula certificates issue said: %s", out);
    snprintf(q, sizeof q, "SELECT c.number FROM certificate c JOIN enrolment en ON en.id ="
             " c.enrolment_id JOIN application a ON a.id = en.application_id WHERE a.email = '%s'",
             email);
    db_query(data_dir, q, number, sizeof number);
    assert_true(*number);
    char pdf[400];
    snprintf(pdf, sizeof pdf, "%s/certificates/%s.pdf", data_dir, number);
    image_list(pdf, list, n);
}

/* The row of an image of width×height in pdfimages' list, or NULL. */
static const char *image_row(const char *list, int width, int height)
{
    char want[64];
    snprintf(want, sizeof want, " image %d %d ", width, height);
    for (const char *l = list; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
        /* Columns are padded: squeeze the spaces before comparing. */
        char row[300];
        size_t k = 0;
        for (const char *c = l; *c && *c != '\n' && k + 1 < sizeof row; c++)
            if (!(*c == ' ' && k && row[k - 1] == ' '))
                row[k++] = *c;
        row[k] = '\0';
        if (strstr(row, want))
            return strstr(l, "image");
    }
    return NULL;
}

static void a_jpeg_logo_is_drawn_on_certificates(void **state)
{
    (void)state;
    size_t len;
    unsigned char *jpg = make_jpeg(160, 80, 3, false, &len);
    assert_int_equal(upload("logo.jpg", jpg, len), 303);
    /* Served as it was sent, with its type. */
    struct http_response r;
    assert_true(get_path(&srv, "/logo", NULL, &r));
    assert_int_equal(r.status, 200);
    char type[80];
    assert_true(header_value(&r, "Content-Type", type, sizeof type));
    assert_string_equal(type, "image/jpeg");
    assert_int_equal(r.body_len, len);
    assert_memory_equal(r.body, jpg, len);
    http_free(&r);
    free(jpg);

    char list[4096];
    issue_and_list("cyberdiplomacy", "ana@example.org", list, sizeof list);
    const char *row = image_row(list, 160, 80);
    if (!row)
        fail_msg("no 160×80 image in the certificate:\n%s", list);
    /* Embedded as the JPEG itself (DCT), in colour. */
    char line[300];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(row, "\n"), row);
    if (!strstr(line, " jpeg ") || !strstr(line, " rgb "))
        fail_msg("the logo is not an RGB JPEG in the PDF: %s", line);
}

static void a_grey_progressive_jpeg_too(void **state)
{
    (void)state;
    size_t len;
    unsigned char *jpg = make_jpeg(90, 120, 1, true, &len);
    assert_int_equal(upload("logo-gris.jpeg", jpg, len), 303);
    free(jpg);
    char list[4096];
    issue_and_list("techplomacy", "luis@example.org", list, sizeof list);
    const char *row = image_row(list, 90, 120);
    if (!row)
        fail_msg("no 90×120 image in the certificate:\n%s", list);
    char line[300];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(row, "\n"), row);
    if (!strstr(line, " jpeg ") || !strstr(line, " gray "))
        fail_msg("the logo is not a grey JPEG in the PDF: %s", line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unreadable_jpegs_are_refused),
        cmocka_unit_test(a_jpeg_logo_is_drawn_on_certificates),
        cmocka_unit_test(a_grey_progressive_jpeg_too),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
