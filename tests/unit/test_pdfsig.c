/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The PDF document signature module (docs/pdf_sign.c) and the signing
 * identities (store/pdf_keys.c) on a small hand-made PDF: a signature by one
 * of ours is genuine, a sound signature by another identity is not ours,
 * a signed file cannot be signed twice, every byte of the signed range
 * counts, and identities rotate without losing the earlier ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docs/pdf_sign.h"
#include "store/pdf_keys.h"

static char dir_a[64], dir_b[64];

/* A one-page PDF with a classic xref table, as cairo writes them. */
static char *tiny_pdf(size_t *len)
{
    static const char *objs[] = {
        "<< /Type /Pages /Kids [ 2 0 R ] /Count 1 >>",
        "<< /Type /Page /Parent 1 0 R /MediaBox [ 0 0 200 100 ] /Contents 3 0 R >>",
        "<< /Length 8 >>\nstream\n0 0 m S \nendstream",
        "<< /Title (Tiny) /Keywords (none) >>",
        "<< /Type /Catalog /Pages 1 0 R >>",
    };
    char *b = malloc(4096);
    size_t n = (size_t)sprintf(b, "%%PDF-1.5\n");
    size_t off[6];
    for (int i = 0; i < 5; i++) {
        off[i + 1] = n;
        n += (size_t)sprintf(b + n, "%d 0 obj\n%s\nendobj\n", i + 1, objs[i]);
    }
    size_t xref = n;
    n += (size_t)sprintf(b + n, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i <= 5; i++)
        n += (size_t)sprintf(b + n, "%010zu 00000 n \n", off[i]);
    n += (size_t)sprintf(b + n, "trailer\n<< /Size 6\n   /Root 5 0 R\n   /Info 4 0 R\n>>\n"
                                "startxref\n%zu\n%%%%EOF\n", xref);
    *len = n;
    return b;
}

static struct pdf_signer *signer_of(const char *dir)
{
    char id[PDF_KEY_ID_LEN + 1], err[300];
    struct pdf_signer *s = pdf_keys_signer(dir, id, err, sizeof err);
    if (!s)
        fail_msg("%s", err);
    return s;
}

static int setup(void **state)
{
    (void)state;
    char err[300];
    snprintf(dir_a, sizeof dir_a, "/tmp/aula-pdfsig-a-XXXXXX");
    snprintf(dir_b, sizeof dir_b, "/tmp/aula-pdfsig-b-XXXXXX");
    if (!mkdtemp(dir_a) || !mkdtemp(dir_b))
        return -1;
    if (!pdf_keys_ensure(dir_a, "Organisation A", err, sizeof err) ||
        !pdf_keys_ensure(dir_b, "Organisation B", err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir_a, dir_b);
    return system(cmd) == 0 ? 0 : -1;
}

static enum pdf_check check_with(const char *dir, const unsigned char *pdf, size_t n,
                                 char *detail, size_t dl)
{
    size_t tl;
    char *trusted = pdf_keys_all_pem(dir, &tl);
    assert_non_null(trusted);
    enum pdf_check c = pdf_check_signature(pdf, n, trusted, tl, detail, dl);
    free(trusted);
    return c;
}

static void ours_is_genuine_and_theirs_is_not_ours(void **state)
{
    (void)state;
    size_t n, sn;
    char *pdf = tiny_pdf(&n);
    char err[300], detail[300];
    struct pdf_signer *a = signer_of(dir_a);
    unsigned char *signed_pdf;
    assert_true(pdf_sign(a, (unsigned char *)pdf, n, 1700000000, &signed_pdf, &sn, err, sizeof err));
    /* The original bytes come first, unchanged: an incremental update. */
    assert_memory_equal(signed_pdf, pdf, n);
    assert_non_null(memmem(signed_pdf, sn, "/Prev ", 6));
    assert_non_null(memmem(signed_pdf, sn, "/M (D:20231114221320Z)", 22));
    assert_int_equal(check_with(dir_a, signed_pdf, sn, detail, sizeof detail), PDF_GENUINE);
    /* Organisation B's installation does not take A's signature for its own. */
    assert_int_equal(check_with(dir_b, signed_pdf, sn, detail, sizeof detail), PDF_NOT_OURS);
    assert_non_null(strstr(detail, "Organisation A"));
    /* Nothing can be signed twice: the page has its signature field. */
    unsigned char *twice;
    size_t tn;
    assert_false(pdf_sign(a, signed_pdf, sn, 1700000000, &twice, &tn, err, sizeof err));
    /* Every signed byte counts: each one changed in turn in the first part,
     * a sample of them. */
    for (size_t i = 5; i < n; i += 17) {
        signed_pdf[i] ^= 0x01;
        enum pdf_check c = check_with(dir_a, signed_pdf, sn, detail, sizeof detail);
        if (c == PDF_GENUINE)
            fail_msg("a change at byte %zu goes unseen", i);
        signed_pdf[i] ^= 0x01;
    }
    /* Unsigned, not a PDF. */
    assert_int_equal(check_with(dir_a, (unsigned char *)pdf, n, detail, sizeof detail),
                     PDF_UNSIGNED);
    assert_int_equal(check_with(dir_a, (const unsigned char *)"GIF89a....", 10, detail,
                                sizeof detail), PDF_NOT_PDF);
    free(signed_pdf);
    pdf_signer_free(a);
    free(pdf);
}

static void a_key_that_is_not_the_certificates_is_refused(void **state)
{
    (void)state;
    char err[300];
    size_t kl = 0, cl = 0;
    char *a_pem = pdf_keys_all_pem(dir_a, &cl);
    char *b_pem = pdf_keys_all_pem(dir_b, &kl);
    /* B's certificate given in place of a key: unusable. */
    assert_null(pdf_signer_new(b_pem, kl, a_pem, cl, err, sizeof err));
    free(a_pem);
    free(b_pem);
}

static void rotation_keeps_the_earlier_certificates(void **state)
{
    (void)state;
    char err[300], id1[PDF_KEY_ID_LEN + 1], id2[PDF_KEY_ID_LEN + 1], id3[PDF_KEY_ID_LEN + 1];
    struct pdf_signer *s = signer_of(dir_a);
    pdf_signer_free(s);
    assert_non_null(s = pdf_keys_signer(dir_a, id1, err, sizeof err));
    pdf_signer_free(s);
    /* The same name: nothing changes. */
    assert_true(pdf_keys_ensure(dir_a, "Organisation A", err, sizeof err));
    assert_non_null(s = pdf_keys_signer(dir_a, id2, err, sizeof err));
    pdf_signer_free(s);
    assert_string_equal(id1, id2);
    /* Another name: a new identity signs, the old one still verifies. */
    size_t n, sn, tl;
    char *pdf = tiny_pdf(&n);
    unsigned char *old_signed;
    s = signer_of(dir_a);
    assert_true(pdf_sign(s, (unsigned char *)pdf, n, 1700000000, &old_signed, &sn, err, sizeof err));
    pdf_signer_free(s);
    assert_true(pdf_keys_ensure(dir_a, "Organisation A (renamed)", err, sizeof err));
    assert_non_null(s = pdf_keys_signer(dir_a, id3, err, sizeof err));
    pdf_signer_free(s);
    assert_string_not_equal(id1, id3);
    char detail[300];
    assert_int_equal(check_with(dir_a, old_signed, sn, detail, sizeof detail), PDF_GENUINE);
    char *all = pdf_keys_all_pem(dir_a, &tl);
    assert_non_null(strstr(strstr(all, "BEGIN CERTIFICATE") + 1, "BEGIN CERTIFICATE"));
    free(all);
    /* A PKCS#12 file that is not one, or a wrong password: nothing changes. */
    char bogus[200], id4[PDF_KEY_ID_LEN + 1];
    snprintf(bogus, sizeof bogus, "%s/bogus.p12", dir_a);
    FILE *f = fopen(bogus, "w");
    fputs("not pkcs12", f);
    fclose(f);
    assert_false(pdf_keys_import_p12(dir_a, bogus, "x", id4, err, sizeof err));
    assert_non_null(s = pdf_keys_signer(dir_a, id4, err, sizeof err));
    pdf_signer_free(s);
    assert_string_equal(id4, id3);
    free(old_signed);
    free(pdf);
}

/* An organisation name longer than X.509 allows (64 characters) is cut,
 * once: the next issue keeps the same identity. */
static void a_long_organisation_name_is_cut_once(void **state)
{
    (void)state;
    char err[300], id1[PDF_KEY_ID_LEN + 1], id2[PDF_KEY_ID_LEN + 1], name[400] = "";
    for (int i = 0; i < 40; i++)
        strcat(name, "Ñandú ");
    assert_true(pdf_keys_ensure(dir_b, name, err, sizeof err));
    struct pdf_signer *s = pdf_keys_signer(dir_b, id1, err, sizeof err);
    assert_non_null(s);
    pdf_signer_free(s);
    assert_true(pdf_keys_ensure(dir_b, name, err, sizeof err));
    assert_non_null(s = pdf_keys_signer(dir_b, id2, err, sizeof err));
    pdf_signer_free(s);
    assert_string_equal(id1, id2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ours_is_genuine_and_theirs_is_not_ours),
        cmocka_unit_test(a_key_that_is_not_the_certificates_is_refused),
        cmocka_unit_test(rotation_keeps_the_earlier_certificates),
        cmocka_unit_test(a_long_organisation_name_is_cut_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
