/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The console home's next steps: each appears exactly when its condition
 * holds, in the order a coordinator takes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/next_steps.h"

static const struct course_day_progress none_imported[] = {
    {"2022-03-21", false}, {"2022-03-22", false}};
static const struct course_day_progress first_imported[] = {
    {"2022-03-21", true}, {"2022-03-22", false}};
static const struct course_day_progress all_imported[] = {
    {"2022-03-21", true}, {"2022-03-22", true}};

static void nothing_to_do(void **state)
{
    (void)state;
    struct course_progress c = {.days = none_imported, .ndays = 2};
    struct next_step s[8];
    /* Before the course, with nobody applying: no step. */
    assert_int_equal(next_steps(&c, 1, 0, "2022-03-01", s, 8), 0);
    /* On the first day itself the report is not due yet. */
    assert_int_equal(next_steps(&c, 1, 0, "2022-03-21", s, 8), 0);
}

static void decisions_and_invitations(void **state)
{
    (void)state;
    struct course_progress c = {.submitted = 12, .registered = 5, .invited = 3,
                                .days = none_imported, .ndays = 2};
    struct next_step s[8];
    assert_int_equal(next_steps(&c, 1, 0, "2022-03-01", s, 8), 2);
    assert_int_equal(s[0].kind, STEP_DECIDE);
    assert_int_equal(s[0].count, 12);
    assert_int_equal(s[1].kind, STEP_INVITE);
    assert_int_equal(s[1].count, 2);
    c.invited = 5;
    c.submitted = 0;
    assert_int_equal(next_steps(&c, 1, 0, "2022-03-01", s, 8), 0);
}

static void attendance_due_after_the_day(void **state)
{
    (void)state;
    struct course_progress c = {.registered = 5, .invited = 5, .days = first_imported, .ndays = 2};
    struct next_step s[8];
    assert_int_equal(next_steps(&c, 1, 0, "2022-03-22", s, 8), 0);
    assert_int_equal(next_steps(&c, 1, 0, "2022-03-23", s, 8), 1);
    assert_int_equal(s[0].kind, STEP_ATTENDANCE);
    assert_string_equal(s[0].date, "2022-03-22");
    c.days = none_imported;
    assert_int_equal(next_steps(&c, 1, 0, "2022-04-01", s, 8), 2);
    assert_string_equal(s[0].date, "2022-03-21");
    assert_string_equal(s[1].date, "2022-03-22");
}

static void certificates_once_attendance_is_complete(void **state)
{
    (void)state;
    struct course_progress c = {.registered = 5, .invited = 5, .days = all_imported, .ndays = 2};
    struct next_step s[8];
    assert_int_equal(next_steps(&c, 1, 0, "2022-04-01", s, 8), 1);
    assert_int_equal(s[0].kind, STEP_CERTIFICATES);
    c.certified = 4;
    assert_int_equal(next_steps(&c, 1, 0, "2022-04-01", s, 8), 0);
    /* Nobody registered: nothing to certify. */
    c.certified = 0;
    c.registered = c.invited = 0;
    assert_int_equal(next_steps(&c, 1, 0, "2022-04-01", s, 8), 0);
}

static void failed_mail_first_and_courses_in_order(void **state)
{
    (void)state;
    struct course_progress c[2] = {
        {.submitted = 1, .days = none_imported, .ndays = 2},
        {.submitted = 2, .days = none_imported, .ndays = 2},
    };
    struct next_step s[8];
    assert_int_equal(next_steps(c, 2, 3, "2022-03-01", s, 8), 3);
    assert_int_equal(s[0].kind, STEP_FAILED_MAIL);
    assert_int_equal(s[0].count, 3);
    assert_int_equal(s[1].course, 0);
    assert_int_equal(s[2].course, 1);
    assert_int_equal(s[2].count, 2);
    /* More steps than room: the count still says how many. */
    assert_int_equal(next_steps(c, 2, 3, "2022-03-01", s, 1), 3);
    assert_int_equal(s[0].kind, STEP_FAILED_MAIL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_to_do),
        cmocka_unit_test(decisions_and_invitations),
        cmocka_unit_test(attendance_due_after_the_day),
        cmocka_unit_test(certificates_once_attendance_is_complete),
        cmocka_unit_test(failed_mail_first_and_courses_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
