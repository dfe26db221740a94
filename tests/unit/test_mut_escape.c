/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The iCalendar escapers byte by byte: a C1 control (U+0080 to U+009F,
 * two bytes in UTF-8) becomes one space in a parameter value, and nothing
 * else does; a carriage return never reaches a text value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"
#include "base/escape.h"

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(1 << 16);
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

static const char *param(const char *s)
{
    strbuf sb;
    sb_init(&sb, A);
    esc_ics_param(&sb, s);
    return sb_str(&sb);
}

static const char *text(const char *s)
{
    strbuf sb;
    sb_init(&sb, A);
    esc_ics_text(&sb, s);
    return sb_str(&sb);
}

static void c1_controls_and_their_neighbours(void **state)
{
    (void)state;
    /* The first and last C1 controls become one space each. */
    assert_string_equal(param("a\xc2\x80" "b\xc2\x9f" "c"), "\"a b c\"");
    /* Their neighbours are characters: U+00A0 and U+00BF stay, and so does
     * a lone 0xC2 before DEL (which alone becomes a space) or at the end. */
    assert_string_equal(param("\xc2\xa0" "d\xc2\xbf"), "\"\xc2\xa0" "d\xc2\xbf\"");
    assert_string_equal(param("e\xc2\x7f"), "\"e\xc2 \"");
    assert_string_equal(param("f\xc2"), "\"f\xc2\"");
    assert_string_equal(param("Jos\xc3\xa9 \xe2\x82\xac"), "\"Jos\xc3\xa9 \xe2\x82\xac\"");
    /* Quotes, structure and C0 controls become spaces. */
    assert_string_equal(param("x\"y;z:w,v\x01u\x1f" "t\x7fs"), "\"x y z w v u t s\"");
    assert_string_equal(param(""), "\"\"");
}

static void text_values_drop_carriage_returns(void **state)
{
    (void)state;
    assert_string_equal(text("a\r\nb\rc"), "a\\nbc");
    assert_string_equal(text("x;y,z\\w"), "x\\;y\\,z\\\\w");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(c1_controls_and_their_neighbours),
        cmocka_unit_test(text_values_drop_carriage_returns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
