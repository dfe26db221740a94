/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The one walk over an edition's courses (src/app/courses.c): finding a
 * course by slug, the first course, the course switcher and a course's day. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "app/courses.h"

static json_t *programme(void)
{
    json_error_t e;
    json_t *p = json_loads(
        "{\"edition\": {\"courses\": ["
        " {\"slug\": \"a\", \"title\": {\"es\": \"A\"}, \"days\": [{\"date\": \"2022-03-21\", \"id\": 7}]},"
        " {\"slug\": \"b\", \"title\": {\"es\": \"B\"}, \"days\": [{\"date\": \"2022-03-21\", \"id\": 9},"
        "                                            {\"date\": \"2022-03-22\", \"id\": 10}]}]}}",
        0, &e);
    assert_non_null(p);
    return p;
}

static void a_course_is_found_by_its_slug_only(void **state)
{
    (void)state;
    json_t *p = programme();
    assert_ptr_equal(programme_course(p, "b"), json_array_get(programme_courses(p), 1));
    assert_ptr_equal(programme_course(p, "a"), json_array_get(programme_courses(p), 0));
    assert_null(programme_course(p, "c"));
    assert_null(programme_course(p, "")); /* no prefix match */
    assert_null(programme_course(p, NULL));
    assert_null(programme_course(NULL, "a"));
    assert_string_equal(programme_first_course(p), "a");
    json_t *empty = json_pack("{s:{s:[]}}", "edition", "courses");
    assert_null(programme_first_course(empty));
    json_decref(empty);
    json_decref(p);
}

static void the_switcher_marks_the_current_course(void **state)
{
    (void)state;
    json_t *p = programme();
    json_t *ch = programme_course_choices(p, "b");
    assert_int_equal(json_array_size(ch), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ch, 0), "slug")), "a");
    assert_false(json_is_true(json_object_get(json_array_get(ch, 0), "current")));
    assert_true(json_is_true(json_object_get(json_array_get(ch, 1), "current")));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(json_array_get(ch, 1), "title"), "es")), "B");
    json_decref(ch);
    json_decref(p);
}

static void a_day_belongs_to_its_course(void **state)
{
    (void)state;
    json_t *p = programme();
    assert_int_equal(programme_course_day(p, "b", "2022-03-22"), 10);
    assert_int_equal(programme_course_day(p, "b", "2022-03-21"), 9);
    assert_int_equal(programme_course_day(p, "a", "2022-03-21"), 7);
    assert_int_equal(programme_course_day(p, "a", "2022-03-22"), 0); /* another course's day */
    assert_int_equal(programme_course_day(p, "c", "2022-03-21"), 0);
    size_t i, n = 0;
    json_t *c;
    programme_foreach_course(p, i, c)
        n += i + 1;
    assert_int_equal(n, 3);
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_course_is_found_by_its_slug_only),
        cmocka_unit_test(the_switcher_marks_the_current_course),
        cmocka_unit_test(a_day_belongs_to_its_course),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
