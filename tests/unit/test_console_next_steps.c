/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Invitations a schedule change left out of date are a next step of their
 * course, right after its invitations, and only while some are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/next_steps.h"

static const struct course_day_progress days[] = {{"2022-03-21", false}, {"2022-03-22", false}};

static void updates_due_while_outdated(void **state)
{
    (void)state;
    struct course_progress c[2] = {
        {.registered = 4, .invited = 3, .outdated = 2, .days = days, .ndays = 2},
        {.registered = 2, .invited = 2, .days = days, .ndays = 2},
    };
    struct next_step s[8];
    assert_int_equal(next_steps(c, 2, 0, "2022-03-01", s, 8), 2);
    assert_int_equal(s[0].kind, STEP_INVITE);
    assert_int_equal(s[1].kind, STEP_UPDATES);
    assert_int_equal(s[1].course, 0);
    assert_int_equal(s[1].count, 2);
    /* Sent: no step. */
    c[0].outdated = 0;
    assert_int_equal(next_steps(c, 2, 0, "2022-03-01", s, 8), 1);
    assert_int_equal(s[0].kind, STEP_INVITE);
    /* The second course's own. */
    c[1].outdated = 1;
    assert_int_equal(next_steps(c, 2, 0, "2022-03-01", s, 8), 2);
    assert_int_equal(s[1].kind, STEP_UPDATES);
    assert_int_equal(s[1].course, 1);
    assert_int_equal(s[1].count, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(updates_due_while_outdated)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
