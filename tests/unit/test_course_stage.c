/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /me's stage of a course: it follows the programme from the application to
 * the certificate, and withdrawing is offered only before the start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/course_stage.h"

#define START 1647867600 /* 2022-03-21 13:00 UTC */
#define END (START + 3 * 86400 + 4 * 3600)

static struct course_facts registered(time_t now)
{
    return (struct course_facts){.status = "registered", .now = now, .starts = START, .ends = END,
                                 .scheduled_minutes = 960};
}

static void before_the_decision(void **state)
{
    (void)state;
    struct course_facts f = registered(START - 86400);
    f.status = "submitted";
    struct course_stage_result r = course_stage(&f);
    assert_int_equal(r.stage, STAGE_APPLIED);
    assert_true(r.can_withdraw);
    f.status = "waitlisted";
    assert_int_equal(course_stage(&f).stage, STAGE_WAITLISTED);
    f.status = "accepted";
    assert_int_equal(course_stage(&f).stage, STAGE_ACCEPTED);
    assert_true(course_stage(&f).can_withdraw);
    assert_string_equal(course_stage_name(STAGE_ACCEPTED), "accepted");
}

static void registered_then_invited(void **state)
{
    (void)state;
    struct course_facts f = registered(START - 86400);
    assert_int_equal(course_stage(&f).stage, STAGE_REGISTERED);
    f.invited = true;
    struct course_stage_result r = course_stage(&f);
    assert_int_equal(r.stage, STAGE_INVITED);
    assert_true(r.can_withdraw);
    assert_string_equal(course_stage_name(r.stage), "invited");
}

static void no_withdrawing_once_started(void **state)
{
    (void)state;
    struct course_facts f = registered(START);
    f.invited = true;
    struct course_stage_result r = course_stage(&f);
    assert_int_equal(r.stage, STAGE_IN_SESSION);
    assert_false(r.can_withdraw);
    f.now = START - 1;
    assert_true(course_stage(&f).can_withdraw);
    /* Not even an application still waiting for a decision. */
    f.now = START + 60;
    f.status = "submitted";
    assert_false(course_stage(&f).can_withdraw);
}

static void after_the_course(void **state)
{
    (void)state;
    struct course_facts f = registered(END + 60);
    f.invited = true;
    assert_int_equal(course_stage(&f).stage, STAGE_ATTENDANCE_PENDING);
    assert_false(course_stage(&f).can_withdraw);
    f.attendance_known = true;
    f.attended_minutes = 300;
    assert_int_equal(course_stage(&f).stage, STAGE_NOT_MET);
    f.rule_met = true;
    f.attended_minutes = 900;
    assert_int_equal(course_stage(&f).stage, STAGE_ATTENDED);
    f.certificate = true;
    assert_int_equal(course_stage(&f).stage, STAGE_CERTIFIED);
    assert_string_equal(course_stage_name(STAGE_CERTIFIED), "certified");
}

static void evaluation_awaiting_an_answer(void **state)
{
    (void)state;
    struct course_facts f = registered(END + 60);
    f.certificate = true;
    f.evaluation_pending = true;
    assert_int_equal(course_stage(&f).stage, STAGE_EVALUATION);
    /* Before the end the course itself comes first. */
    f.now = START + 60;
    f.certificate = false;
    assert_int_equal(course_stage(&f).stage, STAGE_IN_SESSION);
}

static void closed_courses(void **state)
{
    (void)state;
    const char *closed[] = {"rejected", "withdrawn", "declined"};
    for (size_t i = 0; i < 3; i++) {
        struct course_facts f = registered(START - 86400);
        f.status = closed[i];
        struct course_stage_result r = course_stage(&f);
        assert_int_equal(r.stage, STAGE_CLOSED);
        assert_false(r.can_withdraw);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(before_the_decision),
        cmocka_unit_test(registered_then_invited),
        cmocka_unit_test(no_withdrawing_once_started),
        cmocka_unit_test(after_the_course),
        cmocka_unit_test(evaluation_awaiting_an_answer),
        cmocka_unit_test(closed_courses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
