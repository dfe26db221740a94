/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The escapers at their edges: every byte value through the URL escaper,
 * and email headers whose multi-byte characters fall exactly where an
 * encoded-word must end (never split, never longer than RFC 2047 allows). */
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

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(1 << 20);
    return A && sodium_init() >= 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

static const char *url(const char *s)
{
    strbuf sb;
    sb_init(&sb, A);
    esc_url_component(&sb, s);
    return sb_str(&sb);
}

static void every_byte_through_the_url_escaper(void **state)
{
    (void)state;
    static const char unreserved[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-._~";
    for (int c = 1; c < 256; c++) {
        char in[2] = {(char)c, 0}, want[4];
        if (strchr(unreserved, c))
            snprintf(want, sizeof want, "%c", c);
        else
            snprintf(want, sizeof want, "%%%02X", c);
        if (strcmp(url(in), want) != 0)
            fail_msg("byte 0x%02x: \"%s\", want \"%s\"", c, url(in), want);
    }
    assert_string_equal(url("Aa0~/?#"), "Aa0~%2F%3F%23");
}

static const char *header(const char *s)
{
    strbuf sb;
    sb_init(&sb, A);
    esc_mail_header(&sb, s);
    return sb_str(&sb);
}

static void plain_ascii_stays_plain(void **state)
{
    (void)state;
    assert_string_equal(header(" ~Reunión"), "=?UTF-8?B?IH5SZXVuacOzbg==?=");
    assert_string_equal(header(" !~ plain"), " !~ plain");
    /* DEL and the control characters are never sent as they are. */
    assert_string_equal(header("a\x7f"), "=?UTF-8?B?YX8=?=");
    assert_string_equal(header("a\x1f"), "=?UTF-8?B?YR8=?=");
    assert_string_equal(header("a\tb"), "=?UTF-8?B?YQli?=");
}

/* The length of the UTF-8 sequence a byte starts (RFC 3629), 1 for bytes
 * that start none. */
static size_t seq_len(unsigned char c)
{
    return c >= 0xc0 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
         : c >= 0xf0 && c <= 0xf7 ? 4 : 1;
}

/* Encodes s and checks each encoded-word: at most 75 characters, at most
 * 45 bytes of payload, whole sequences only, and as full as possible; the
 * payloads put together give s back. */
static void check_words(const unsigned char *s, size_t len)
{
    const char *out = header((const char *)s);
    unsigned char joined[512];
    size_t nj = 0, at = 0;
    const char *w = out;
    for (;;) {
        if (strncmp(w, "=?UTF-8?B?", 10) != 0)
            fail_msg("not an encoded-word at \"%.20s\"", w);
        const char *end = strstr(w + 10, "?=");
        assert_non_null(end);
        assert_true(end + 2 - w <= 75);
        unsigned char bin[64];
        size_t n;
        assert_int_equal(sodium_base642bin(bin, sizeof bin, w + 10, (size_t)(end - (w + 10)),
                                           NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
        assert_true(n <= 45 && n > 0);
        /* The word ends on a sequence boundary, and the next sequence would
         * not have fitted. */
        size_t k = 0;
        while (k < n)
            k += seq_len(s[at + k]);
        if (k != n)
            fail_msg("a character split after %zu bytes", at + n);
        if (at + n < len && n + seq_len(s[at + n]) <= 45)
            fail_msg("word of %zu bytes ends early (next needs %zu)", n, seq_len(s[at + n]));
        memcpy(joined + nj, bin, n);
        nj += n;
        at += n;
        w = end + 2;
        if (!*w)
            break;
        if (strncmp(w, "\r\n ", 3) != 0)
            fail_msg("words not folded: \"%.10s\"", w);
        w += 3;
    }
    assert_int_equal(nj, len);
    assert_memory_equal(joined, s, len);
}

static void characters_are_never_split(void **state)
{
    (void)state;
    /* Lead bytes at each edge of the UTF-8 table, and stray bytes. */
    static const unsigned char leads[] = {0x80, 0xbf, 0xc0, 0xc3, 0xdf, 0xe0, 0xe2,
                                          0xef, 0xf0, 0xf4, 0xf7, 0xf8, 0xfb, 0xff};
    for (size_t i = 0; i < sizeof leads; i++) {
        for (size_t pad = 40; pad <= 46; pad++) {
            unsigned char s[128];
            size_t n = 0;
            for (size_t k = 0; k < pad; k++)
                s[n++] = (unsigned char)('a' + k % 26);
            s[n++] = leads[i];
            for (size_t k = 1; k < 4; k++)
                s[n++] = (unsigned char)(0x80 + k);
            for (size_t k = 0; k < 50; k++)
                s[n++] = (unsigned char)('A' + k % 26);
            s[n] = 0;
            check_words(s, n);
        }
    }
}

static void line_breaks_become_spaces(void **state)
{
    (void)state;
    const char *out = header("Año\r\nBcc: x@example.org");
    assert_null(strchr(out, '\n'));
    unsigned char bin[64];
    size_t n;
    const char *end = strstr(out + 10, "?=");
    assert_non_null(end);
    assert_int_equal(sodium_base642bin(bin, sizeof bin, out + 10, (size_t)(end - (out + 10)),
                                       NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    assert_int_equal(n, strlen("Año  Bcc: x@example.org"));
    assert_memory_equal(bin, "Año  Bcc: x@example.org", n);
    assert_string_equal(end + 2, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_byte_through_the_url_escaper, setup, teardown),
        cmocka_unit_test_setup_teardown(plain_ascii_stays_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(characters_are_never_split, setup, teardown),
        cmocka_unit_test_setup_teardown(line_breaks_become_spaces, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
