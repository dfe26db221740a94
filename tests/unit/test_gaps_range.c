/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Byte ranges that are not well-formed (src/http/download.c parse_range):
 * RFC 9110 14.2 says an invalid Range header is ignored, so the whole file
 * is sent (RANGE_NONE), and only a valid range that cannot be satisfied is
 * 416 (RANGE_BAD).  None may be served as if it were another range. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <string.h>

#include "http/download.h"

/* parse_range of h against 1000 bytes must be RANGE_NONE and leave from
 * and len as they were. */
static void ignored(const char *h)
{
    uint64_t from = 77, len = 88;
    enum range_kind k = parse_range(h, 1000, &from, &len);
    if (k != RANGE_NONE || from != 77 || len != 88)
        fail_msg("\"%s\": kind %d from %llu len %llu, want ignored", h, (int)k,
                 (unsigned long long)from, (unsigned long long)len);
}

static void malformed_ranges_are_ignored(void **state)
{
    (void)state;
    /* The brief's four: junk after a suffix, last before first, no number,
     * and two ranges. */
    ignored("bytes=-5x");
    ignored("bytes=5-3");
    ignored("bytes=abc");
    ignored("bytes=0-1,5-6");
    /* Numbers only as digits: strtoull would take a sign or spaces. */
    ignored("bytes=-+5");
    ignored("bytes=- 5");
    ignored("bytes=--5");
    ignored("bytes=5--3");
    ignored("bytes=5-+7");
    ignored("bytes=5- 7");
    ignored("bytes=+5-7");
    ignored("bytes= 5-7");
    ignored("bytes=-0x10");
    ignored("bytes=0x10-");
    /* Nothing, or a dash only. */
    ignored("bytes=");
    ignored("bytes=-");
    ignored("bytes=-x");
    ignored("bytes=5");
    ignored("bytes=5-7-9");
    ignored("bytes=5-7 ");
    ignored("bytes=-5,");
    ignored("bytes=1000-,2000-");
    ignored("items=0-5");
    ignored("bytes 0-5");
    ignored("");
}

static void well_formed_ranges_still_work(void **state)
{
    (void)state;
    uint64_t from = 0, len = 0;
    /* The unit is compared without regard to case (RFC 9110 14.1). */
    assert_int_equal(parse_range("Bytes=5-7", 1000, &from, &len), RANGE_ONE);
    assert_true(from == 5 && len == 3);
    assert_int_equal(parse_range("BYTES=-5", 1000, &from, &len), RANGE_ONE);
    assert_true(from == 995 && len == 5);
    assert_int_equal(parse_range("bytes=007-009", 1000, &from, &len), RANGE_ONE);
    assert_true(from == 7 && len == 3);
    assert_int_equal(parse_range("bytes=5-5", 1000, &from, &len), RANGE_ONE);
    assert_true(from == 5 && len == 1);
    assert_int_equal(parse_range("bytes=999-", 1000, &from, &len), RANGE_ONE);
    assert_true(from == 999 && len == 1);
    /* Numbers past 64 bits: a suffix that long is the whole file, a first
     * byte that far is past the end, a last byte that far is the end. */
    assert_int_equal(parse_range("bytes=-99999999999999999999999", 1000, &from, &len), RANGE_ONE);
    assert_true(from == 0 && len == 1000);
    assert_int_equal(parse_range("bytes=0-99999999999999999999999", 1000, &from, &len), RANGE_ONE);
    assert_true(from == 0 && len == 1000);
    assert_int_equal(parse_range("bytes=18446744073709551615-", 1000, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=99999999999999999999999-", 1000, &from, &len), RANGE_BAD);
}

static void valid_but_unsatisfiable_is_416(void **state)
{
    (void)state;
    uint64_t from = 0, len = 0;
    assert_int_equal(parse_range("bytes=1000-", 1000, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=1000-1005", 1000, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=-0", 1000, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=-000", 1000, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=0-", 0, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=0-0", 0, &from, &len), RANGE_BAD);
    assert_int_equal(parse_range("bytes=-5", 0, &from, &len), RANGE_BAD);
    /* Malformed stays ignored even for an empty file. */
    from = 1, len = 2;
    assert_int_equal(parse_range("bytes=-5x", 0, &from, &len), RANGE_NONE);
    assert_true(from == 1 && len == 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(malformed_ranges_are_ignored),
        cmocka_unit_test(well_formed_ranges_still_work),
        cmocka_unit_test(valid_but_unsatisfiable_is_416),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
