/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The places offered for choosing a time zone come from the machine's
 * tzdata: every country's zone, named as people know it, each one valid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/timeutil.h"
#include "base/tzplaces.h"

static const struct tz_place *find(const char *country, const char *zone)
{
    size_t n;
    const struct tz_place *p = tz_places(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].country, country) == 0 && strcmp(p[i].zone, zone) == 0)
            return &p[i];
    return NULL;
}

static void places_of_the_region(void **state)
{
    (void)state;
    const struct tz_place *p = find("VE", "America/Caracas");
    assert_non_null(p);
    assert_string_equal(p->region, "America");
    assert_string_equal(p->city, "Caracas");
    /* Trinidad and Tobago has its own place, its name with spaces. */
    p = find("TT", "America/Port_of_Spain");
    assert_non_null(p);
    assert_string_equal(p->city, "Port of Spain");
    p = find("AR", "America/Argentina/Buenos_Aires");
    assert_non_null(p);
    assert_string_equal(p->city, "Buenos Aires");
    assert_non_null(find("ES", "Europe/Madrid"));
    /* No place is invented. */
    assert_null(find("VE", "America/Bogota"));
}

static void every_place_is_a_zone(void **state)
{
    (void)state;
    size_t n;
    const struct tz_place *p = tz_places(&n);
    assert_true(n > 200);
    for (size_t i = 0; i < n; i++) {
        if (!tz_valid(p[i].zone))
            fail_msg("%s is not a valid zone", p[i].zone);
        assert_int_equal(strlen(p[i].country), 2);
        assert_non_null(strchr(p[i].zone, '/'));
    }
    /* Read once: the same table on every call. */
    size_t m;
    assert_ptr_equal(tz_places(&m), p);
    assert_int_equal(m, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(places_of_the_region),
        cmocka_unit_test(every_place_is_a_zone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
