/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dates and times as Zoom reports write them (src/domain/zoom_dates.c),
 * each form at its edges, every day of the century against the C library,
 * and the per-day cache of the zone conversion against local_to_utc(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/timeutil.h"
#include "domain/zoom_dates.h"
#include "domain/zoom_report.h"

static time_t utc(int y, int m, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = s};
    return timegm(&tm);
}

/* Parses s and checks what was read: kind, year, a, b, h, mi, s. */
static void read_as(const char *s, int kind, int y, int a, int b, int h, int mi, int sec)
{
    struct dt t;
    if (!dt_parse(s, &t))
        fail_msg("\"%s\" refused", s);
    if (t.kind != kind || t.y != y || t.a != a || t.b != b || t.h != h || t.mi != mi || t.s != sec)
        fail_msg("\"%s\" read as kind %d %d-%d-%d %d:%d:%d", s, t.kind, t.y, t.a, t.b, t.h, t.mi,
                 t.s);
}

static void refused(const char *s)
{
    struct dt t;
    if (dt_parse(s, &t))
        fail_msg("\"%s\" accepted", s);
}

static void iso_dates_and_zones(void **state)
{
    (void)state;
    struct dt t;
    assert_true(dt_parse("2022-03-21T13:02:13Z", &t));
    assert_int_equal(t.kind, DT_ABS);
    assert_int_equal(t.abs, utc(2022, 3, 21, 13, 2, 13));
    assert_int_equal(dt_naive(&t, 1, 1), utc(2022, 3, 21, 13, 2, 13));
    assert_true(dt_parse("2022-03-21 13:02:13+01:30", &t));
    assert_int_equal(t.abs, utc(2022, 3, 21, 11, 32, 13));
    assert_true(dt_parse("2022-03-21t13:02-05:30", &t));
    assert_int_equal(t.abs, utc(2022, 3, 21, 18, 32, 0));
    assert_true(dt_parse("2022-03-21T13:02:13.250z", &t));
    assert_int_equal(t.abs, utc(2022, 3, 21, 13, 2, 13));
    assert_true(dt_parse("2022-01-01T00:30+14", &t));
    assert_int_equal(t.abs, utc(2021, 12, 31, 10, 30, 0));
    assert_true(dt_parse("2022-01-01T00:30-00:59", &t));
    assert_int_equal(t.abs, utc(2022, 1, 1, 1, 29, 0));
    read_as("2022/03/21 09:02", DT_YMD, 2022, 3, 21, 9, 2, 0);
    read_as("  2022.03.21 9:02:13.123  ", DT_YMD, 2022, 3, 21, 9, 2, 13);
    read_as("2022-03-21 09:02 PM", DT_YMD, 2022, 3, 21, 21, 2, 0);
    read_as("2000-01-01 00:00:00", DT_YMD, 2000, 1, 1, 0, 0, 0);
    read_as("2099-12-31 23:59:59", DT_YMD, 2099, 12, 31, 23, 59, 59);
    read_as("2024-02-29 10:00", DT_YMD, 2024, 2, 29, 10, 0, 0);
    read_as("2000-02-29 10:00", DT_YMD, 2000, 2, 29, 10, 0, 0);
    const char *bad[] = {"2022-03-21", "2022-03-21X10:00", "2022-03/21 10:00", "2022:03:21 10:00",
                         "2023-02-29 10:00", "2100-01-01 10:00", "1999-12-31 10:00",
                         "2022-13-01 10:00", "2022-00-01 10:00", "2022-01-00 10:00",
                         "2022-04-31 10:00", "2022-03-21T10:00+15", "2022-03-21T10:00+01:60",
                         "2022-03-21T10:00+1", "2022-03-21T10:00+01:5", "2022-03-21T10:00 PMZ",
                         "20222-03-21 10:00", "2022-123-01 10:00", "2022-03-21T10:00Zx"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        refused(bad[i]);
}

static void times_and_am_pm(void **state)
{
    (void)state;
    read_as("2022-03-21 12:00 AM", DT_YMD, 2022, 3, 21, 0, 0, 0);
    read_as("2022-03-21 12:30 PM", DT_YMD, 2022, 3, 21, 12, 30, 0);
    read_as("2022-03-21 1:05 pm", DT_YMD, 2022, 3, 21, 13, 5, 0);
    read_as("2022-03-21 11:59:59 p.m.", DT_YMD, 2022, 3, 21, 23, 59, 59);
    read_as("2022-03-21 9:02 a. m.", DT_YMD, 2022, 3, 21, 9, 2, 0);
    read_as("2022-03-21 9:02\xc2\xa0p.\xc2\xa0m.", DT_YMD, 2022, 3, 21, 21, 2, 0);
    read_as("2022-03-21 9:02\xe2\x80\xaf" "AM", DT_YMD, 2022, 3, 21, 9, 2, 0);
    read_as("2022-03-21 9:02\tAM\t", DT_YMD, 2022, 3, 21, 9, 2, 0);
    read_as("2022-03-21 23:00", DT_YMD, 2022, 3, 21, 23, 0, 0);
    const char *bad[] = {"2022-03-21 24:00", "2022-03-21 10:60", "2022-03-21 10:00:60",
                         "2022-03-21 13:00 PM", "2022-03-21 0:30 AM", "2022-03-21 9:2",
                         "2022-03-21 9:02:3", "2022-03-21 123:00", "2022-03-21 9-02",
                         "2022-03-21 10:00 xm", "2022-03-21 10:00 an", "2022-03-21 10:00 a.n.",
                         "2022-03-21 10:00 AM later", "2022-03-21 10:00:00.", "2022-03-21 :10"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        refused(bad[i]);
}

static void month_names_and_numeric_dates(void **state)
{
    (void)state;
    read_as("Mar 21, 2022 09:02:13 PM", DT_YMD, 2022, 3, 21, 21, 2, 13);
    read_as("march 21 2022 09:02", DT_YMD, 2022, 3, 21, 9, 2, 0);
    read_as("Sept. 1, 2022, 10:00", DT_YMD, 2022, 9, 1, 10, 0, 0);
    read_as("DEC 31, 2099 23:59", DT_YMD, 2099, 12, 31, 23, 59, 0);
    read_as("Jan 1, 2000 00:00", DT_YMD, 2000, 1, 1, 0, 0, 0);
    read_as("21 Mar 2022 09:02", DT_YMD, 2022, 3, 21, 9, 2, 0);
    read_as("1 february 2024, 10:00", DT_YMD, 2024, 2, 1, 10, 0, 0);
    read_as("03/21/2022 09:02:13 AM", DT_NUM, 2022, 3, 21, 9, 2, 13);
    read_as("21/03/22 09:02", DT_NUM, 2022, 21, 3, 9, 2, 0);
    read_as("21.03.2022 09:02", DT_NUM, 2022, 21, 3, 9, 2, 0);
    read_as("3-4-2022\t9:02", DT_NUM, 2022, 3, 4, 9, 2, 0);
    read_as("12/31/2099, 10:00", DT_NUM, 2099, 12, 31, 10, 0, 0);
    read_as("31/12/00 10:00", DT_NUM, 2000, 31, 12, 10, 0, 0);
    const char *bad[] = {"Ma 21, 2022 10:00", "Mayo 21, 2022 10:00", "Foo 21, 2022 10:00",
                         "Mar 21, 22 10:00", "Mar 2022 10:00", "Mar 21, 2022x10:00",
                         "Feb 30, 2022 10:00", "Mar 21, 1999 10:00", "Mar 21, 2022 10:00Z",
                         "21 Mar 22 10:00", "21 Mar 2022x10:00", "30 Feb 2022 10:00",
                         "21 Foo 2022 10:00", "13/13/2022 10:00", "32/01/2022 10:00",
                         "00/01/2022 10:00", "01/00/2022 10:00", "01/32/2022 10:00",
                         "123/01/2022 10:00", "03/21/2022x10:00", "03/21-2022 10:00",
                         "03:21:2022 10:00", "03/21/202 10:00", "03/21/2100 10:00",
                         "03/21/2022 10:00Z", "", "   ", "x", "2022"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        refused(bad[i]);
}

static void numeric_order_is_the_file_s(void **state)
{
    (void)state;
    struct dt t;
    int m = 0, d = 0;
    assert_true(dt_parse("03/21/2022 10:00", &t));
    assert_true(dt_month_day(&t, false, &m, &d));
    assert_int_equal(m, 3);
    assert_int_equal(d, 21);
    assert_false(dt_month_day(&t, true, &m, &d)); /* no month 21 */
    assert_true(dt_parse("04/03/2022 10:00", &t));
    assert_true(dt_month_day(&t, true, &m, &d));
    assert_int_equal(m, 3);
    assert_int_equal(d, 4);
    assert_int_equal(dt_naive(&t, m, d), utc(2022, 3, 4, 10, 0, 0));
    assert_true(dt_month_day(&t, false, &m, &d));
    assert_int_equal(m, 4);
    assert_int_equal(d, 3);
    assert_int_equal(dt_naive(&t, m, d), utc(2022, 4, 3, 10, 0, 0));
    assert_true(dt_parse("30/02/2022 10:00", &t)); /* read, but no such day either way */
    assert_false(dt_month_day(&t, true, &m, &d));
    assert_false(dt_month_day(&t, false, &m, &d));
    /* A date with its month named ignores the file's order. */
    assert_true(dt_parse("2022-04-03 10:00", &t));
    assert_true(dt_month_day(&t, true, &m, &d));
    assert_int_equal(m, 4);
    assert_int_equal(d, 3);
}

static void every_day_of_the_century(void **state)
{
    (void)state;
    for (time_t day = utc(2000, 1, 1, 0, 0, 0); day <= utc(2099, 12, 31, 0, 0, 0); day += 86400) {
        struct tm tm;
        gmtime_r(&day, &tm);
        int h = (int)(day / 86400 % 24), mi = (int)(day / 86400 % 60), s = (int)(day / 86400 % 59);
        char buf[64];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, h, mi, s);
        struct dt t;
        int m, d;
        if (!dt_parse(buf, &t) || !dt_month_day(&t, false, &m, &d))
            fail_msg("%s refused", buf);
        if (dt_naive(&t, m, d) != day + h * 3600 + mi * 60 + s)
            fail_msg("%s is %lld", buf, (long long)dt_naive(&t, m, d));
        snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, h, mi, s);
        if (!dt_parse(buf, &t) || t.abs != day + h * 3600 + mi * 60 + s)
            fail_msg("%s read wrong", buf);
    }
}

/* The cache gives what local_to_utc() gives, for every hour of the day. */
static void same_as_local_to_utc(struct zone_cache *c, int y, int m, int d)
{
    for (int h = 0; h < 24; h++)
        for (int mi = 0; mi < 60; mi += 29) {
            time_t want = 0, got = 0;
            bool ok = local_to_utc(c->tz, y, m, d, h, mi, &want);
            int r = zone_cache_convert(c, y, m, d, h, mi, 7, &got);
            assert_int_equal(r, ok ? 1 : 0);
            if (ok && got != want + 7)
                fail_msg("%s %d-%d-%d %02d:%02d: %lld, not %lld", c->tz, y, m, d, h, mi,
                         (long long)got, (long long)want + 7);
        }
}

static void zone_conversion_by_day(void **state)
{
    (void)state;
    struct zone_cache c = {.tz = "Europe/Madrid"};
    same_as_local_to_utc(&c, 2022, 3, 21);
    assert_int_equal(c.calls, 2);                    /* an ordinary day: two conversions */
    same_as_local_to_utc(&c, 2022, 3, 21);
    assert_int_equal(c.calls, 2);                    /* remembered */
    same_as_local_to_utc(&c, 2022, 3, 27);           /* clocks go forward at 02:00 */
    long after_spring = c.calls;
    assert_true(after_spring > 4);
    same_as_local_to_utc(&c, 2022, 3, 27);
    assert_int_equal(c.calls, after_spring);         /* each hour converted once */
    same_as_local_to_utc(&c, 2022, 10, 30);          /* and back at 03:00 */
    same_as_local_to_utc(&c, 2023, 3, 26);
    assert_int_equal(c.count, 4);
    time_t t;
    assert_int_equal(zone_cache_convert(&c, 2022, 3, 27, 1, 30, 0, &t), 1);
    assert_int_equal(t, utc(2022, 3, 27, 0, 30, 0));
    assert_int_equal(zone_cache_convert(&c, 2022, 3, 27, 3, 30, 0, &t), 1);
    assert_int_equal(t, utc(2022, 3, 27, 1, 30, 0));
    assert_int_equal(zone_cache_convert(&c, 2022, 3, 21, 23, 59, 59, &t), 1);
    assert_int_equal(t, utc(2022, 3, 21, 22, 59, 59));
    zone_cache_free(&c);

    /* Many dates: the table grows and keeps every one; past the limit of
     * distinct dates a new one is refused, a known one still converted. */
    struct zone_cache u = {.tz = "America/New_York"};
    time_t first = utc(2021, 1, 1, 0, 0, 0);
    for (int i = 0; i < ZOOM_MAX_DATES; i++) {
        struct tm tm;
        time_t day = first + (time_t)i * 86400;
        gmtime_r(&day, &tm);
        time_t want;
        assert_true(local_to_utc(u.tz, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 12, 0,
                                 &want));
        assert_int_equal(zone_cache_convert(&u, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, 12,
                                            0, 0, &t), 1);
        assert_int_equal(t, want);
    }
    assert_int_equal(u.count, ZOOM_MAX_DATES);
    long calls = u.calls;
    assert_int_equal(zone_cache_convert(&u, 2021, 1, 1, 12, 0, 0, &t), 1);
    assert_int_equal(t, utc(2021, 1, 1, 17, 0, 0));
    assert_int_equal(zone_cache_convert(&u, 2021, 6, 1, 12, 0, 0, &t), 1);
    assert_int_equal(t, utc(2021, 6, 1, 16, 0, 0));
    assert_int_equal(u.calls, calls);
    assert_int_equal(zone_cache_convert(&u, 2030, 1, 1, 12, 0, 0, &t), -2);
    zone_cache_free(&u);
    assert_null(u.slot);
    assert_null(u.hours);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_dates_and_zones),
        cmocka_unit_test(times_and_am_pm),
        cmocka_unit_test(month_names_and_numeric_dates),
        cmocka_unit_test(numeric_order_is_the_file_s),
        cmocka_unit_test(every_day_of_the_century),
        cmocka_unit_test(zone_conversion_by_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
