/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The organisation's logo on the certificate: a PNG given to the page is
 * drawn (an image in the PDF), the facts still read back, and a PNG cairo
 * cannot read is left out rather than failing the certificate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cairo.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docs/certificate_pdf.h"
#include "domain/certificate.h"

static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
static char canonical[2048], sig[CERT_SIG_B64_SIZE], kid[CERT_KEY_ID_SIZE];

static const struct cert_facts FACTS = {
    .number = "SELA-2022-CYB-0001",
    .name = "Ana Pérez",
    .form_of_address = "",
    .course_es = "Ciberdiplomacia",
    .course_en = "Cyberdiplomacy",
    .edition_es = "Edición 2022",
    .edition_en = "2022 edition",
    .hours = 16,
    .dates_es = "21–22 de marzo de 2022",
    .dates_en = "21–22 March 2022",
    .issued_on = "2022-03-22",
    .verify_url = "https://aula.example.org/verify/SELA-2022-CYB-0001",
};

static void document(struct cert_document *d)
{
    memset(d, 0, sizeof *d);
    d->facts = FACTS;
    d->organiser_es = "Sistema Económico Latinoamericano y del Caribe (SELA)";
    d->organiser_en = "Latin American and Caribbean Economic System (SELA)";
    d->partners_es = "";
    d->partners_en = "";
    char *c = cert_facts_canonical(&d->facts);
    assert_non_null(c);
    snprintf(canonical, sizeof canonical, "%s", c);
    free(c);
    assert_true(cert_sign_canonical(canonical, sk, sig, CERT_SIG_B64_SIZE));
    cert_key_id(pk, kid);
    d->facts_json = canonical;
    d->signature = sig;
    d->key_id = kid;
}

struct buf {
    unsigned char *data;
    size_t len;
};

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int n)
{
    struct buf *b = closure;
    b->data = realloc(b->data, b->len + n);
    if (!b->data)
        return CAIRO_STATUS_NO_MEMORY;
    memcpy(b->data + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

static struct buf make_png(int w, int h)
{
    struct buf b = {0};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
    cairo_paint(cr);
    cairo_destroy(cr);
    assert_int_equal(cairo_surface_write_to_png_stream(s, collect, &b), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    return b;
}

static bool has(const unsigned char *pdf, size_t len, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(pdf + i, what, n) == 0)
            return true;
    return false;
}

static void the_logo_is_drawn(void **state)
{
    (void)state;
    struct cert_document d;
    document(&d);
    unsigned char *plain = NULL, *logo = NULL;
    size_t plain_len = 0, logo_len = 0;
    char err[300];
    assert_true(cert_pdf_render(&d, &plain, &plain_len, err, sizeof err));
    assert_false(has(plain, plain_len, "/Subtype /Image"));

    struct buf png = make_png(120, 60);
    d.logo = png.data;
    d.logo_len = png.len;
    if (!cert_pdf_render(&d, &logo, &logo_len, err, sizeof err))
        fail_msg("render: %s", err);
    assert_true(has(logo, logo_len, "/Subtype /Image"));
    /* Still the same signed facts inside. */
    char *facts = NULL, *signature = NULL, kid2[CERT_KEY_ID_SIZE];
    assert_true(cert_pdf_read_facts_mem(logo, logo_len, &facts, &signature, kid2, err, sizeof err));
    assert_string_equal(facts, canonical);
    free(facts);
    free(signature);
    free(plain);
    free(logo);
    free(png.data);
}

static void an_unreadable_logo_is_left_out(void **state)
{
    (void)state;
    struct cert_document d;
    document(&d);
    static const unsigned char junk[] = "\x89PNG\r\n\x1a\nthis is not a PNG at all";
    d.logo = junk;
    d.logo_len = sizeof junk - 1;
    unsigned char *pdf = NULL;
    size_t len = 0;
    char err[300];
    assert_true(cert_pdf_render(&d, &pdf, &len, err, sizeof err));
    assert_false(has(pdf, len, "/Subtype /Image"));
    free(pdf);
}

/* Under AddressSanitizer: fontconfig keeps one small allocation for the
 * life of the process (see test_certificate.c); not ours to report. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    crypto_sign_keypair(pk, sk);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_logo_is_drawn),
        cmocka_unit_test(an_unreadable_logo_is_left_out),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    cert_pdf_thread_cleanup();
    return rc;
}
