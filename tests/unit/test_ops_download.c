/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The download helpers (src/http/download.c): the saved file's name, HTTP
 * dates and byte ranges. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"
#include "http/download.h"

static void the_file_name_is_safe_and_keeps_its_utf8(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 16);
    assert_string_equal(content_disposition(a, "attachment", "Informe \"final\" a/b ñ.pdf"),
                        "attachment; filename=\"Informe _final_ a_b __.pdf\"; "
                        "filename*=UTF-8''Informe%20%22final%22%20a%2Fb%20%C3%B1.pdf");
    assert_string_equal(content_disposition(a, "inline", "x.pdf"),
                        "inline; filename=\"x.pdf\"; filename*=UTF-8''x.pdf");
    arena_free(a);
}

static void http_dates_are_imf_fixdate(void **state)
{
    (void)state;
    char d[40];
    http_date(784111777, d, sizeof d);
    assert_string_equal(d, "Sun, 06 Nov 1994 08:49:37 GMT");
    http_date(0, d, sizeof d);
    assert_string_equal(d, "Thu, 01 Jan 1970 00:00:00 GMT");
}

static void ranges_one_or_the_whole_file(void **state)
{
    (void)state;
    uint64_t from = 99, len = 99;
    assert_int_equal(parse_range("bytes=0-99", 1000, &from, &len), RANGE_ONE);
    assert_int_equal(from, 0);
    assert_int_equal(len, 100);
    assert_int_equal(parse_range("bytes=900-", 1000, &from, &len), RANGE_ONE);
    assert_int_equal(from, 900);
    assert_int_equal(len, 100);
    assert_int_equal(parse_range("bytes=-10", 1000, &from, &len), RANGE_ONE);
    assert_int_equal(from, 990);
    assert_int_equal(len, 10);
    assert_int_equal(parse_range("bytes=-5000", 1000, &from, &len), RANGE_ONE);
    assert_int_equal(from, 0);
    assert_int_equal(len, 1000);
    assert_int_equal(parse_range("bytes=500-5000", 1000, &from, &len), RANGE_ONE);
    assert_int_equal(len, 500);
    /* Refused: past the end, an empty suffix, an empty file. */
    assert_int_equal(parse_range("bytes=1000-", 1000, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=-0", 1000, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=-1", 0, &from, &len), RANGE_BAD);
    /* Not understood, or several ranges: the whole file. */
    assert_int_equal(parse_range(NULL, 1000, &from, &len), RANGE_NONE);
    assert_int_equal(parse_range("items=0-1", 1000, &from, &len), RANGE_NONE);
    assert_int_equal(parse_range("bytes=0-1,5-6", 1000, &from, &len), RANGE_NONE);
    assert_int_equal(parse_range("bytes=9-1", 1000, &from, &len), RANGE_NONE);
    assert_int_equal(parse_range("bytes=x-1", 1000, &from, &len), RANGE_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_file_name_is_safe_and_keeps_its_utf8),
        cmocka_unit_test(http_dates_are_imf_fixdate),
        cmocka_unit_test(ranges_one_or_the_whole_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
