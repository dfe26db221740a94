/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The escapers, one per output context, fed hostile input. */
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

struct esc_case {
    const char *in, *want;
};

typedef void (*escaper)(strbuf *, const char *);

static void run_cases(escaper fn, const struct esc_case *cases, size_t n)
{
    arena *a = arena_new(1 << 20);
    for (size_t i = 0; i < n; i++) {
        strbuf sb;
        sb_init(&sb, a);
        fn(&sb, cases[i].in);
        if (strcmp(sb_str(&sb), cases[i].want) != 0)
            print_error("case %zu: input \"%s\"\n", i, cases[i].in);
        assert_string_equal(sb_str(&sb), cases[i].want);
    }
    arena_free(a);
}

#define RUN(fn, cases) run_cases(fn, cases, sizeof cases / sizeof cases[0])

static void test_html_text(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", ""},
        {"plain text", "plain text"},
        {"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
        {"Tom & Jerry", "Tom &amp; Jerry"},
        {"&amp;", "&amp;amp;"},          /* escaped again, never trusted */
        {"&lt;b&gt;", "&amp;lt;b&amp;gt;"},
        {"<<>>&&", "&lt;&lt;&gt;&gt;&amp;&amp;"},
        {"Cancillería — ñandú", "Cancillería — ñandú"}, /* UTF-8 untouched */
        {"<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
        {"a\"b'c`d", "a\"b'c`d"}, /* quotes are harmless in element content */
    };
    RUN(esc_html_text, cases);
}

static void test_html_attr(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", ""},
        {"plain", "plain"},
        {"\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)"},
        {"' onfocus='x", "&#39; onfocus=&#39;x"},
        {"`backtick`", "&#96;backtick&#96;"},
        {"<script>", "&lt;script&gt;"},
        {"&amp;", "&amp;amp;"},
        {"&quot;", "&amp;quot;"},
        {"a&b<c>d\"e'f`g", "a&amp;b&lt;c&gt;d&quot;e&#39;f&#96;g"},
        {"javascript:alert(1)", "javascript:alert(1)"}, /* schemes are not its job */
        {"ñ\"ñ", "ñ&quot;ñ"},
    };
    RUN(esc_html_attr, cases);
}

static void test_url_component(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", ""},
        {"abcXYZ019", "abcXYZ019"},
        {"-._~", "-._~"},
        {"a b", "a%20b"},
        {"a/b", "a%2Fb"},
        {"../etc/passwd", "..%2Fetc%2Fpasswd"},
        {"q?x=1&y=2", "q%3Fx%3D1%26y%3D2"},
        {"#frag", "%23frag"},
        {"100%", "100%25"},
        {"a+b", "a%2Bb"},
        {"ñ", "%C3%B1"},
        {"€", "%E2%82%AC"},
        {"😀", "%F0%9F%98%80"},
        {"\"<>'", "%22%3C%3E%27"},
        {"\r\n", "%0D%0A"},
        {"\x7f\xff", "%7F%FF"},
        {"José Pérez", "Jos%C3%A9%20P%C3%A9rez"},
    };
    RUN(esc_url_component, cases);
}

static void test_csv_cell(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", ""},
        {"plain", "plain"},
        {"José Pérez", "José Pérez"},
        /* Formula triggers get an apostrophe and quotes. */
        {"=SUM(A1:A9)", "\"'=SUM(A1:A9)\""},
        {"+1", "\"'+1\""},
        {"-2+3", "\"'-2+3\""},
        {"@cmd", "\"'@cmd\""},
        {"\t=1", "\"'\t=1\""},
        {"\r=1", "\"'\r'=1\""}, /* a line break starts a new piece too */
        {"=HYPERLINK(\"http://evil\",\"x\")", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\""},
        /* Quoting for structure. */
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"line1\nline2", "\"line1\nline2\""},
        {"line1\r\nline2", "\"line1\r\nline2\""},
        /* Only a leading trigger counts. */
        {"a=b", "a=b"},
        {"1-2", "1-2"},
        {"x@y.org", "x@y.org"},
    };
    RUN(esc_csv_cell, cases);
}

static void test_ics_text(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", ""},
        {"plain", "plain"},
        {"a\\b", "a\\\\b"},
        {"a;b", "a\\;b"},
        {"a,b", "a\\,b"},
        {"a\nb", "a\\nb"},
        {"a\r\nb", "a\\nb"},
        {"a\rb", "ab"},
        {"a:b", "a:b"}, /* colons are fine in TEXT */
        {"\\;,\n", "\\\\\\;\\,\\n"},
        {"Sesión 1, día 2; sala \"A\"", "Sesión 1\\, día 2\\; sala \"A\""},
        {"x\r\nEND:VEVENT\r\nBEGIN:VEVENT", "x\\nEND:VEVENT\\nBEGIN:VEVENT"},
    };
    RUN(esc_ics_text, cases);
}

/* ---- mail headers ---- */

static const char *mail(arena *a, const char *in)
{
    strbuf sb;
    sb_init(&sb, a);
    esc_mail_header(&sb, in);
    assert_false(sb.failed);
    return arena_strdup(a, sb_str(&sb));
}

/* Splits an encoded header into its words, checking each one (prefix,
 * suffix, length, separator, UTF-8 on its own) and returning the decoded
 * concatenation. */
static const char *check_words(arena *a, const char *enc, int *nwords)
{
    static const char prefix[] = "=?UTF-8?B?";
    strbuf dec;
    sb_init(&dec, a);
    *nwords = 0;
    const char *p = enc;
    for (;;) {
        const char *sep = strstr(p, "\r\n ");
        size_t wlen = sep ? (size_t)(sep - p) : strlen(p);
        assert_true(wlen <= 75);
        assert_true(wlen > 12);
        assert_memory_equal(p, prefix, 10);
        assert_memory_equal(p + wlen - 2, "?=", 2);
        /* No CR, LF or space inside the word itself. */
        for (size_t i = 0; i < wlen; i++)
            assert_true(p[i] != '\r' && p[i] != '\n' && p[i] != ' ');
        const char *b64 = p + 10;
        size_t blen = wlen - 12;
        unsigned char bin[128];
        size_t binlen = 0;
        assert_int_equal(sodium_base642bin(bin, sizeof bin, b64, blen, NULL, &binlen, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        assert_true(binlen > 0);
        /* Each word decodes to whole characters on its own. */
        assert_true(utf8_valid((const char *)bin, binlen));
        sb_append(&dec, (const char *)bin, binlen);
        (*nwords)++;
        if (!sep)
            break;
        p = sep + 3;
    }
    return arena_strdup(a, sb_str(&dec));
}

static void test_mail_ascii_passes(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    assert_string_equal(mail(a, ""), "");
    assert_string_equal(mail(a, "Aula <aula@example.org>"), "Aula <aula@example.org>");
    assert_string_equal(mail(a, "Invitation: Cyberdiplomacy, 21 March"),
                        "Invitation: Cyberdiplomacy, 21 March");
    arena_free(a);
}

static void test_mail_accented_name(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    assert_string_equal(mail(a, "José Pérez"), "=?UTF-8?B?Sm9zw6kgUMOpcmV6?=");
    int n;
    assert_string_equal(check_words(a, mail(a, "José Pérez"), &n), "José Pérez");
    assert_int_equal(n, 1);
    arena_free(a);
}

static void test_mail_long_never_splits_characters(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 22);
    /* Mixtures of 1-, 2-, 3- and 4-byte characters, shifted by one ASCII
     * byte at a time so that every split point falls on each kind of
     * character boundary somewhere. */
    static const char *const units[] = {"ñ", "€", "😀", "aé€😀"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        for (int shift = 0; shift < 4; shift++) {
            strbuf in;
            sb_init(&in, a);
            for (int i = 0; i < shift; i++)
                sb_putc(&in, 'x');
            for (int i = 0; i < 60; i++)
                sb_puts(&in, units[u]);
            const char *src = arena_strdup(a, sb_str(&in));
            const char *enc = mail(a, src);
            int n;
            const char *dec = check_words(a, enc, &n);
            assert_string_equal(dec, src);
            assert_true(n >= 2);
            /* CR and LF appear only as the "\r\n " between words. */
            int crlf = 0;
            for (const char *p = enc; *p; p++) {
                if (*p == '\r') {
                    assert_memory_equal(p, "\r\n ", 3);
                    crlf++;
                } else if (*p == '\n') {
                    assert_int_equal(p[-1], '\r');
                }
            }
            assert_int_equal(crlf, n - 1);
        }
    }
    arena_free(a);
}

static void test_mail_header_injection(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    static const char *const hostile[] = {
        "a\r\nBcc: x@evil.org",
        "a\nBcc: x@evil.org",
        "a\rBcc: x@evil.org",
        "José\r\nBcc: x@evil.org",
        "\r\n\r\n<html>",
        "tab\there",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        const char *enc = mail(a, hostile[i]);
        int n;
        const char *dec = check_words(a, enc, &n);
        /* Short input: a single word, so no CR or LF at all. */
        assert_int_equal(n, 1);
        assert_null(strchr(enc, '\r'));
        assert_null(strchr(enc, '\n'));
        /* Nor hidden inside the encoded text. */
        assert_null(strchr(dec, '\r'));
        assert_null(strchr(dec, '\n'));
        assert_null(strstr(enc, "Bcc:"));
    }
    /* A long hostile value folds only between words. */
    strbuf in;
    sb_init(&in, a);
    for (int i = 0; i < 20; i++)
        sb_puts(&in, "ñ\r\nBcc: x@evil.org\n");
    const char *enc = mail(a, sb_str(&in));
    int n;
    const char *dec = check_words(a, enc, &n);
    assert_true(n > 1);
    assert_null(strchr(dec, '\r'));
    assert_null(strchr(dec, '\n'));
    for (const char *p = enc; *p; p++)
        if (*p == '\r' || *p == '\n')
            assert_true((p[0] == '\r' && p[1] == '\n' && p[2] == ' ') ||
                        (p[0] == '\n' && p[-1] == '\r' && p[1] == ' '));
    arena_free(a);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_text),
        cmocka_unit_test(test_html_attr),
        cmocka_unit_test(test_url_component),
        cmocka_unit_test(test_csv_cell),
        cmocka_unit_test(test_ics_text),
        cmocka_unit_test(test_mail_ascii_passes),
        cmocka_unit_test(test_mail_accented_name),
        cmocka_unit_test(test_mail_long_never_splits_characters),
        cmocka_unit_test(test_mail_header_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
