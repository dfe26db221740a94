/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Hostile text in the places it ends up: spreadsheet cells (also in a
 * ;-locale spreadsheet), calendar parameters, direction controls in forms
 * and file names, and the unguessable part of certificate codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/escape.h"
#include "base/text.h"
#include "domain/certificate.h"
#include "http/form.h"

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(16 << 20);
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

static const char *csv(const char *s)
{
    strbuf sb;
    sb_init(&sb, A);
    esc_csv_cell(&sb, s);
    return sb_str(&sb);
}

static const char *ics_param(const char *s)
{
    strbuf sb;
    sb_init(&sb, A);
    esc_ics_param(&sb, s);
    return sb_str(&sb);
}

static int trigger(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* What a spreadsheet that ignores the quotes sees: the raw field split at
 * every ; , and line break.  No piece may start (after spaces and quotes, which
 * some programs drop) with a formula trigger. */
static void assert_no_piece_is_formula(const char *field)
{
    const char *p = field;
    for (;;) {
        const char *q = p;
        while (*q == ' ' || *q == '"')
            q++;
        if (trigger(*q))
            fail_msg("field %s has a piece starting with a formula: %s", field, p);
        size_t n = strcspn(p, ";,\n\r");
        if (!p[n])
            break;
        p += n + 1;
    }
}

static void test_csv_semicolon_locale(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        /* The finding: a ;-locale spreadsheet makes "=cmd" a cell of its own. */
        {";=cmd", "\";'=cmd\""},
        {"Ana;=HYPERLINK(\"http://evil\")", "\"Ana;'=HYPERLINK(\"\"http://evil\"\")\""},
        {"a,+1", "\"a,'+1\""},
        {"x;-2;@SUM(A1)", "\"x;'-2;'@SUM(A1)\""},
        {"a; =1", "\"a; '=1\""},
        {"a;\"=1", "\"a;\"\"'=1\""},
        {"line\n=1", "\"line\n'=1\""},
        {" =1", "\" '=1\""},
        /* A ; alone is quoted so a ;-locale reader keeps the cell whole. */
        {"a;b", "\"a;b\""},
        /* Ordinary text is untouched. */
        {"Ministerio de Economía, Finanzas y \"Comercio\"",
         "\"Ministerio de Economía, Finanzas y \"\"Comercio\"\"\""},
        {"Núñez Peña", "Núñez Peña"},
        {"1-2", "1-2"},
        {"x@y.org", "x@y.org"},
        /* The leading cases of before still hold. */
        {"=1+2", "\"'=1+2\""},
        {"@cmd", "\"'@cmd\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *out = csv(cases[i].in);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("csv(%s) = %s, want %s", cases[i].in, out, cases[i].want);
        assert_no_piece_is_formula(out);
    }
}

static void test_csv_pieces_exhaustive(void **state)
{
    (void)state;
    /* Every string of up to 4 characters over the interesting alphabet. */
    static const char alpha[] = "=+-@;, \"a\n\t\r";
    const size_t k = sizeof alpha - 1;
    char s[5];
    for (size_t len = 1; len <= 4; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= k;
        for (size_t n = 0; n < total; n++) {
            size_t x = n;
            for (size_t i = 0; i < len; i++, x /= k)
                s[i] = alpha[x % k];
            s[len] = '\0';
            assert_no_piece_is_formula(csv(s));
        }
    }
}

static void test_ics_param(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"José Pérez", "\"José Pérez\""},
        {"", "\"\""},
        /* A quote would end the value; ; and : would start parameters or
         * the address in careless parsers. */
        {"Ana\";ROLE=CHAIR:mailto:evil@example.org",
         "\"Ana  ROLE=CHAIR mailto evil@example.org\""},
        {"a,b", "\"a b\""},
        {"x\r\nATTENDEE:mailto:e@x", "\"x  ATTENDEE mailto e@x\""},
        {"tab\there", "\"tab here\""},
        {"del\x7f", "\"del \""},
        {"c1\xc2\x85x", "\"c1 x\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *out = ics_param(cases[i].in);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("ics_param(%s) = %s, want %s", cases[i].in, out, cases[i].want);
        /* Exactly two quotes, nothing that ends the parameter. */
        size_t quotes = 0;
        for (const char *p = out; *p; p++) {
            quotes += *p == '"';
            assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
        }
        assert_int_equal(quotes, 2);
        assert_null(strpbrk(out, ";:,"));
    }
}

/* ---- direction controls ---- */

static const char *const bidi[] = {
    "\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae",
    "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"};

static void test_bidi_detected(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
        char s[32];
        snprintf(s, sizeof s, "Ana%sPérez", bidi[i]);
        assert_true(text_has_bidi_control(s));
    }
    /* Neighbours that are fine: LRM/RLM marks, dashes, quotes, accents. */
    assert_false(text_has_bidi_control("Ana\xe2\x80\x8ePérez"));
    assert_false(text_has_bidi_control("a\xe2\x80\x94" "b \xe2\x80\x9cq\xe2\x80\x9d"));
    assert_false(text_has_bidi_control("\xe2\x81\xa5 \xe2\x81\xaa \xe2\x80\xa9 \xe2\x80\xaf"));
    assert_false(text_has_bidi_control("José Núñez"));
    assert_false(text_has_bidi_control("\xe2"));
}

static const struct field_spec name_fields[] = {
    {.name = "given_names", .v = V_LINE, .required = true},
    {.name = "notes", .v = V_TEXT},
};
static const struct form_spec name_form = FORM_SPEC(name_fields);

static struct form_values validate(const char *body)
{
    struct form_raw raw;
    if (!form_parse_urlencoded(A, body, strlen(body), &raw))
        fail_msg("body did not parse: %s", body);
    struct form_values v;
    form_validate(A, &name_form, &raw, &v);
    return v;
}

static void test_form_refuses_bidi(void **state)
{
    (void)state;
    struct form_values v = validate("given_names=Ana%E2%80%AEzeréP");
    assert_false(v.ok);
    assert_string_equal(form_get(&v, "given_names")->error, "error.bidi");
    v = validate("given_names=Ana&notes=l%C3%ADnea%0Ainvoice%E2%81%A6x");
    assert_false(v.ok);
    assert_string_equal(form_get(&v, "notes")->error, "error.bidi");
    /* What is fine stays fine. */
    v = validate("given_names=Ana+Mar%C3%ADa&notes=Hola%0Aadi%C3%B3s");
    assert_true(v.ok);
    assert_string_equal(form_str(&v, "given_names"), "Ana María");
}

static void test_file_names_neutralised(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"invoice\xe2\x80\xae" "fdp.exe", "invoice_fdp.exe"},
        {"a\xe2\x81\xa6" "b\xe2\x81\xa9" "c.pdf", "a_b_c.pdf"},
        {"tab\there\x01\x7f.txt", "tab_here__.txt"},
        {"c1\xc2\x9b" "x.pdf", "c1_x.pdf"},
        {"../../etc/passwd", ".._.._etc_passwd"},
        {"dir\\file.doc", "dir_file.doc"},
        {"Presentación ñ.pdf", "Presentación ñ.pdf"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        snprintf(buf, sizeof buf, "%s", cases[i].in);
        assert_string_equal(file_name_neutralise(buf), cases[i].want);
        assert_false(text_has_bidi_control(buf));
    }
}

static void test_bidi_dropped_from_printed_names(void **state)
{
    (void)state;
    char buf[64];
    snprintf(buf, sizeof buf, "Ana %sPérez%s", bidi[4], bidi[8]);
    assert_string_equal(text_drop_bidi(buf), "Ana Pérez");
    snprintf(buf, sizeof buf, "José Núñez");
    assert_string_equal(text_drop_bidi(buf), "José Núñez");
}

/* ---- certificate codes ---- */

static void test_certificate_codes(void **state)
{
    (void)state;
    char a[CERT_CODE_LEN + 1], b[CERT_CODE_LEN + 1];
    int seen[256] = {0};
    for (int i = 0; i < 200; i++) {
        cert_code_random(a);
        assert_int_equal(strlen(a), CERT_CODE_LEN);
        for (const char *p = a; *p; p++) {
            assert_non_null(strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", *p));
            seen[(unsigned char)*p]++;
        }
    }
    /* All 32 symbols come up (1600 draws): the whole alphabet is used. */
    int symbols = 0;
    for (int c = 0; c < 256; c++)
        symbols += seen[c] > 0;
    assert_int_equal(symbols, 32);
    cert_code_random(a);
    cert_code_random(b);
    assert_string_not_equal(a, b);

    char out[64];
    assert_true(cert_code_normalise(" sela-2022-cyb-0001-7kq4x9pm ", out, sizeof out));
    assert_string_equal(out, "SELA-2022-CYB-0001-7KQ4X9PM");
    assert_true(cert_code_normalise("SELA-2022-CYB-0001-7KQ4XOPL", out, sizeof out));
    assert_string_equal(out, "SELA-2022-CYB-0001-7KQ4X0P1");
    /* Look-alikes are read as digits in the final part only. */
    assert_true(cert_code_normalise("ORG-2022-IOL-0001-IIOO", out, sizeof out));
    assert_string_equal(out, "ORG-2022-IOL-0001-1100");
    assert_false(cert_code_normalise("SELA-2022/../x", out, sizeof out));
    assert_false(cert_code_normalise("", out, sizeof out));
    assert_false(cert_code_normalise("SELA-2022-CYB-0001-7KQ4X9PM", out, 10));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_semicolon_locale),
        cmocka_unit_test(test_csv_pieces_exhaustive),
        cmocka_unit_test(test_ics_param),
        cmocka_unit_test(test_bidi_detected),
        cmocka_unit_test(test_form_refuses_bidi),
        cmocka_unit_test(test_file_names_neutralised),
        cmocka_unit_test(test_bidi_dropped_from_printed_names),
        cmocka_unit_test(test_certificate_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
