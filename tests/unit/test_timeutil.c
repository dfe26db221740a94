/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dates, times and zones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"

static const char *iso(time_t t)
{
    static char buf[32];
    format_utc_iso(t, buf, sizeof buf);
    return buf;
}

static void test_parse_date(void **state)
{
    (void)state;
    int y = 0, m = 0, d = 0;
    assert_true(parse_date("2022-03-21", &y, &m, &d));
    assert_int_equal(y, 2022);
    assert_int_equal(m, 3);
    assert_int_equal(d, 21);
    assert_true(parse_date("2024-02-29", &y, &m, &d));
    assert_true(parse_date("2000-02-29", &y, &m, &d));
    assert_true(parse_date("2022-12-31", &y, &m, &d));
    assert_true(parse_date("2022-01-01", &y, &m, &d));
    static const char *const bad[] = {
        "2023-02-29", "1900-02-29", "2022-04-31", "2022-06-31", "2022-02-30",
        "2022-00-10", "2022-13-01", "2022-03-00", "2022-03-32", "1899-12-31",
        "2022-3-21", "22-03-21", "2022/03/21", "2022-03-21 ", " 2022-03-21",
        "2022-03-2a", "+022-03-21", "2022-03-21T09:00", "", "abcd-ef-gh",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse_date(bad[i], &y, &m, &d))
            fail_msg("accepted date \"%s\"", bad[i]);
    assert_false(parse_date(NULL, &y, &m, &d));
}

static void test_parse_hhmm(void **state)
{
    (void)state;
    int h = -1, mi = -1;
    assert_true(parse_hhmm("09:05", &h, &mi));
    assert_int_equal(h, 9);
    assert_int_equal(mi, 5);
    assert_true(parse_hhmm("00:00", &h, &mi));
    assert_int_equal(h, 0);
    assert_true(parse_hhmm("23:59", &h, &mi));
    assert_int_equal(h, 23);
    assert_int_equal(mi, 59);
    static const char *const bad[] = {"24:00", "12:60", "9:00", "12:5", "12-00", "ab:cd",
                                      "-1:00", "12:00:00", "1200", "", " 9:00", "12:0 "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse_hhmm(bad[i], &h, &mi))
            fail_msg("accepted time \"%s\"", bad[i]);
    assert_false(parse_hhmm(NULL, &h, &mi));
}

static void test_parse_datetime_local(void **state)
{
    (void)state;
    int y, mo, d, h, mi;
    assert_true(parse_datetime_local("2022-03-21T09:30", &y, &mo, &d, &h, &mi));
    assert_int_equal(y, 2022);
    assert_int_equal(mo, 3);
    assert_int_equal(d, 21);
    assert_int_equal(h, 9);
    assert_int_equal(mi, 30);
    assert_true(parse_datetime_local("2024-02-29T23:59", &y, &mo, &d, &h, &mi));
    static const char *const bad[] = {"2022-03-21 09:30", "2022-03-21t09:30", "2022-03-21T09:30:00",
                                      "2022-03-21T9:30", "2023-02-29T09:30", "2022-03-21T24:00",
                                      "2022-03-21", "T09:30", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (parse_datetime_local(bad[i], &y, &mo, &d, &h, &mi))
            fail_msg("accepted datetime \"%s\"", bad[i]);
    assert_false(parse_datetime_local(NULL, &y, &mo, &d, &h, &mi));
}

static void test_tz_valid(void **state)
{
    (void)state;
    assert_true(tz_valid("America/Caracas"));
    assert_true(tz_valid("Europe/Madrid"));
    assert_true(tz_valid("America/Argentina/Buenos_Aires"));
    assert_true(tz_valid("UTC"));
    static const char *const bad[] = {"Mars/Base", "", "America", "../../etc/passwd",
                                      "/etc/passwd", "America/../Europe/Madrid",
                                      "America/Caracas ", "America/Caracas\n", "Etc/GMT+4;rm"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (tz_valid(bad[i]))
            fail_msg("accepted zone \"%s\"", bad[i]);
    assert_false(tz_valid(NULL));
}

static void test_local_to_utc_caracas(void **state)
{
    (void)state;
    time_t t;
    assert_true(local_to_utc("America/Caracas", 2022, 3, 21, 9, 0, &t));
    assert_string_equal(iso(t), "2022-03-21T13:00:00Z");
    assert_true(local_to_utc("America/Caracas", 2022, 3, 24, 23, 30, &t));
    assert_string_equal(iso(t), "2022-03-25T03:30:00Z");
    /* Caracas was at -04:30 from 2007 to 2016. */
    assert_true(local_to_utc("America/Caracas", 2010, 6, 1, 9, 0, &t));
    assert_string_equal(iso(t), "2010-06-01T13:30:00Z");
    assert_false(local_to_utc("Mars/Base", 2022, 3, 21, 9, 0, &t));
}

static void test_local_to_utc_dst(void **state)
{
    (void)state;
    time_t before, after, t;
    /* Spain moves from +01:00 to +02:00 at 02:00 on 2022-03-27. */
    assert_true(local_to_utc("Europe/Madrid", 2022, 3, 27, 1, 30, &before));
    assert_string_equal(iso(before), "2022-03-27T00:30:00Z");
    assert_true(local_to_utc("Europe/Madrid", 2022, 3, 27, 3, 30, &after));
    assert_string_equal(iso(after), "2022-03-27T01:30:00Z");
    /* Two wall-clock hours apart, one real hour. */
    assert_int_equal(after - before, 3600);
    assert_true(local_to_utc("Europe/Madrid", 2022, 1, 10, 12, 0, &t));
    assert_string_equal(iso(t), "2022-01-10T11:00:00Z");
    assert_true(local_to_utc("Europe/Madrid", 2022, 7, 10, 12, 0, &t));
    assert_string_equal(iso(t), "2022-07-10T10:00:00Z");
    assert_int_equal(tz_offset_minutes("Europe/Madrid", before), 60);
    assert_int_equal(tz_offset_minutes("Europe/Madrid", after), 120);
}

static void test_tz_offset(void **state)
{
    (void)state;
    time_t t;
    assert_true(local_to_utc("America/Caracas", 2022, 3, 21, 9, 0, &t));
    assert_int_equal(tz_offset_minutes("America/Caracas", t), -240);
    assert_int_equal(tz_offset_minutes("UTC", t), 0);
    assert_int_equal(tz_offset_minutes("Asia/Kolkata", t), 330);
    assert_true(local_to_utc("America/Caracas", 2010, 6, 1, 9, 0, &t));
    assert_int_equal(tz_offset_minutes("America/Caracas", t), -270);
    assert_int_equal(tz_offset_minutes("Mars/Base", t), 0);
}

static void test_process_tz_restored(void **state)
{
    (void)state;
    time_t t;
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
    assert_true(local_to_utc("America/Caracas", 2022, 3, 21, 9, 0, &t));
    assert_int_equal(tz_offset_minutes("Europe/Madrid", t), 60);
    assert_string_equal(getenv("TZ"), "Asia/Tokyo");
    unsetenv("TZ");
    tzset();
    assert_true(local_to_utc("America/Caracas", 2022, 3, 21, 9, 0, &t));
    assert_null(getenv("TZ"));
}

static void test_format_utc(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(iso(0), "1970-01-01T00:00:00Z");
    assert_string_equal(iso(1647867600), "2022-03-21T13:00:00Z");
    format_utc_offset(-240, buf, sizeof buf);
    assert_string_equal(buf, "UTC\xe2\x88\x92" "04:00"); /* U+2212 MINUS SIGN */
    format_utc_offset(-270, buf, sizeof buf);
    assert_string_equal(buf, "UTC\xe2\x88\x92" "04:30");
    format_utc_offset(60, buf, sizeof buf);
    assert_string_equal(buf, "UTC+01:00");
    format_utc_offset(330, buf, sizeof buf);
    assert_string_equal(buf, "UTC+05:30");
    format_utc_offset(0, buf, sizeof buf);
    assert_string_equal(buf, "UTC+00:00");
    format_utc_offset(-720, buf, sizeof buf);
    assert_string_equal(buf, "UTC\xe2\x88\x92" "12:00");
}

static void test_tz_city(void **state)
{
    (void)state;
    assert_string_equal(tz_city("America/Caracas"), "Caracas");
    assert_string_equal(tz_city("America/Argentina/Buenos_Aires"), "Buenos Aires");
    assert_string_equal(tz_city("America/Port_of_Spain"), "Port of Spain");
    assert_string_equal(tz_city("UTC"), "UTC");
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(weekday(2022, 3, 21), 1);
    assert_int_equal(weekday(2022, 3, 24), 4);
    assert_int_equal(weekday(2023, 1, 1), 0);
    assert_int_equal(weekday(2000, 1, 1), 6);
    assert_int_equal(weekday(2024, 2, 29), 4);
    assert_int_equal(weekday(2024, 3, 1), 5);
    assert_int_equal(weekday(1900, 1, 1), 1);
    assert_int_equal(weekday(2100, 3, 1), 1);
}

static void test_format_date_long(void **state)
{
    (void)state;
    char buf[64];
    format_date_long(LANG_ES, 2022, 3, 21, buf, sizeof buf);
    assert_string_equal(buf, "lunes, 21 de marzo de 2022");
    format_date_long(LANG_EN, 2022, 3, 21, buf, sizeof buf);
    assert_string_equal(buf, "Monday, 21 March 2022");
    format_date_long(LANG_ES, 2022, 3, 23, buf, sizeof buf);
    assert_string_equal(buf, "miércoles, 23 de marzo de 2022");
    format_date_long(LANG_ES, 2022, 1, 1, buf, sizeof buf);
    assert_string_equal(buf, "sábado, 1 de enero de 2022");
    format_date_long(LANG_EN, 2022, 12, 25, buf, sizeof buf);
    assert_string_equal(buf, "Sunday, 25 December 2022");
    /* A short buffer truncates instead of overflowing. */
    char small[8];
    format_date_long(LANG_EN, 2022, 3, 21, small, sizeof small);
    assert_string_equal(small, "Monday,");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_parse_hhmm),
        cmocka_unit_test(test_parse_datetime_local),
        cmocka_unit_test(test_tz_valid),
        cmocka_unit_test(test_local_to_utc_caracas),
        cmocka_unit_test(test_local_to_utc_dst),
        cmocka_unit_test(test_tz_offset),
        cmocka_unit_test(test_process_tz_restored),
        cmocka_unit_test(test_format_utc),
        cmocka_unit_test(test_tz_city),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_format_date_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
