/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* iCalendar output: folding, TEXT escaping, fixed-offset VTIMEZONE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "docs/ics.h"

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

/* Checks the physical lines of out (every one ends in CRLF, holds at most
 * 75 octets, is whole UTF-8 on its own, continuations start with a space)
 * and returns the unfolded text without the final CRLF. */
static const char *unfold(const char *out, int *nlines)
{
    size_t len = strlen(out);
    assert_true(len >= 2);
    assert_memory_equal(out + len - 2, "\r\n", 2);
    strbuf sb;
    sb_init(&sb, A);
    *nlines = 0;
    const char *p = out;
    while (*p) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        size_t n = (size_t)(eol - p);
        if (n > 75)
            fail_msg("physical line of %zu octets: %.*s", n, (int)n, p);
        /* No bare CR or LF inside a line. */
        assert_null(memchr(p, '\n', n));
        assert_null(memchr(p, '\r', n));
        assert_true(utf8_valid(p, n));
        if (*nlines > 0) {
            assert_int_equal(p[0], ' ');
            sb_append(&sb, p + 1, n - 1);
        } else {
            sb_append(&sb, p, n);
        }
        (*nlines)++;
        p = eol + 2;
    }
    return arena_strdup(A, sb_str(&sb));
}

static const char *line_out(const char *line)
{
    strbuf sb;
    sb_init(&sb, A);
    ics_line(&sb, line);
    return arena_strdup(A, sb_str(&sb));
}

static void test_short_line_untouched(void **state)
{
    (void)state;
    assert_string_equal(line_out("BEGIN:VCALENDAR"), "BEGIN:VCALENDAR\r\n");
    assert_string_equal(line_out(""), "\r\n");
}

static void test_fold_at_75_octets(void **state)
{
    (void)state;
    char line[200];
    memset(line, 'a', 75);
    line[75] = '\0';
    /* Exactly 75 octets: one line. */
    char want[sizeof line + 2];
    snprintf(want, sizeof want, "%s\r\n", line);
    assert_string_equal(line_out(line), want);
    /* 76: the 76th octet moves to a continuation line. */
    line[75] = 'b';
    line[76] = '\0';
    const char *out = line_out(line);
    assert_int_equal(strlen(out), 75 + 2 + 1 + 1 + 2);
    assert_memory_equal(out + 75, "\r\n b\r\n", 6);
    /* Continuation lines carry 74 octets after their space. */
    memset(line, 'c', 75 + 74 + 1);
    line[75 + 74 + 1] = '\0';
    int n;
    assert_string_equal(unfold(line_out(line), &n), line);
    assert_int_equal(n, 3);
}

static void test_fold_never_splits_characters(void **state)
{
    (void)state;
    static const char *const units[] = {"é", "€", "😀", "a€😀ñ"};
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        for (int shift = 0; shift < 4; shift++) {
            strbuf src;
            sb_init(&src, A);
            sb_puts(&src, "SUMMARY:");
            for (int i = 0; i < shift; i++)
                sb_putc(&src, 'x');
            for (int i = 0; i < 80; i++)
                sb_puts(&src, units[u]);
            const char *orig = arena_strdup(A, sb_str(&src));
            int n;
            const char *back = unfold(line_out(orig), &n);
            assert_string_equal(back, orig);
            assert_true(n >= 3);
        }
    }
}

static void test_fold_packs_lines(void **state)
{
    (void)state;
    /* Two-byte characters after a 1-byte prefix: the first line ends at 75
     * (1 + 37 * 2) with no room wasted. */
    strbuf src;
    sb_init(&src, A);
    sb_putc(&src, 'X');
    for (int i = 0; i < 100; i++)
        sb_puts(&src, "ñ");
    const char *out = line_out(sb_str(&src));
    assert_memory_equal(out + 75, "\r\n ", 3);
    /* Three-byte characters: 75 is a multiple of 3 but the continuation
     * has a space, so its line holds 24 characters (73 octets). */
    sb_init(&src, A);
    for (int i = 0; i < 60; i++)
        sb_puts(&src, "€");
    out = line_out(sb_str(&src));
    assert_memory_equal(out + 75, "\r\n ", 3);
    assert_memory_equal(out + 77 + 73, "\r\n ", 3);
}

static void test_ics_text_escapes(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, A);
    ics_text(&sb, "DESCRIPTION", "Sesión 1, día 2; sala \\A\\\r\nSegunda línea\nEND:VEVENT");
    assert_string_equal(sb_str(&sb), "DESCRIPTION:Sesión 1\\, día 2\\; sala \\\\A\\\\\\nSegunda "
                                     "línea\\nEND:VEVENT\r\n");
    sb_init(&sb, A);
    ics_text(&sb, "LOCATION", NULL);
    assert_string_equal(sb_str(&sb), "LOCATION:\r\n");
    /* Escaped text is folded too, and unfolds to the escaped value. */
    sb_init(&sb, A);
    strbuf src;
    sb_init(&src, A);
    for (int i = 0; i < 30; i++)
        sb_puts(&src, "á,b;\n");
    ics_text(&sb, "SUMMARY", sb_str(&src));
    int n;
    const char *back = unfold(sb_str(&sb), &n);
    assert_true(n > 1);
    strbuf want;
    sb_init(&want, A);
    sb_puts(&want, "SUMMARY:");
    for (int i = 0; i < 30; i++)
        sb_puts(&want, "á\\,b\\;\\n");
    assert_string_equal(back, sb_str(&want));
}

static void test_ics_prop(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, A);
    ics_prop(&sb, "DTSTART", "20220321T130000Z");
    ics_prop(&sb, "RRULE", "FREQ=DAILY;COUNT=2");
    assert_string_equal(sb_str(&sb), "DTSTART:20220321T130000Z\r\nRRULE:FREQ=DAILY;COUNT=2\r\n");
    /* Without an arena too. */
    strbuf m;
    sb_init(&m, NULL);
    ics_prop(&m, "UID", "sela-2022-cyberdiplomacy-1@aula");
    ics_text(&m, "SUMMARY", "a,b");
    assert_string_equal(sb_str(&m), "UID:sela-2022-cyberdiplomacy-1@aula\r\nSUMMARY:a\\,b\r\n");
    sb_release(&m);
}

static void test_vtimezone_caracas(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, A);
    ics_fixed_timezone(&sb, "America/Caracas", -240);
    assert_string_equal(sb_str(&sb), "BEGIN:VTIMEZONE\r\n"
                                     "TZID:America/Caracas\r\n"
                                     "BEGIN:STANDARD\r\n"
                                     "TZNAME:-04\r\n"
                                     "TZOFFSETFROM:-0400\r\n"
                                     "TZOFFSETTO:-0400\r\n"
                                     "DTSTART:19700101T000000\r\n"
                                     "END:STANDARD\r\n"
                                     "END:VTIMEZONE\r\n");
}

static void test_vtimezone_other_offsets(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, A);
    ics_fixed_timezone(&sb, "Asia/Kolkata", 330);
    assert_non_null(strstr(sb_str(&sb), "\r\nTZNAME:+0530\r\n"));
    assert_non_null(strstr(sb_str(&sb), "\r\nTZOFFSETFROM:+0530\r\n"));
    assert_non_null(strstr(sb_str(&sb), "\r\nTZOFFSETTO:+0530\r\n"));
    sb_init(&sb, A);
    ics_fixed_timezone(&sb, "UTC", 0);
    assert_non_null(strstr(sb_str(&sb), "\r\nTZNAME:+00\r\n"));
    assert_non_null(strstr(sb_str(&sb), "\r\nTZOFFSETFROM:+0000\r\n"));
    sb_init(&sb, A);
    ics_fixed_timezone(&sb, "America/St_Johns", -210);
    assert_non_null(strstr(sb_str(&sb), "\r\nTZNAME:-0330\r\n"));
    assert_non_null(strstr(sb_str(&sb), "\r\nTZOFFSETTO:-0330\r\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_line_untouched),
        cmocka_unit_test(test_fold_at_75_octets),
        cmocka_unit_test(test_fold_never_splits_characters),
        cmocka_unit_test(test_fold_packs_lines),
        cmocka_unit_test(test_ics_text_escapes),
        cmocka_unit_test(test_ics_prop),
        cmocka_unit_test(test_vtimezone_caracas),
        cmocka_unit_test(test_vtimezone_other_offsets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
