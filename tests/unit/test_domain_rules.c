/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The pure rules people rely on, each checked at its edges: which status
 * changes are allowed (and which are refused), who leaves the waiting list
 * first, how the outbox's retry delay grows and where it stops, and how
 * long a sign-in link works. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "domain/attendance.h"
#include "domain/enrolment.h"
#include "domain/retry.h"
#include "domain/signin_link.h"

enum { SUB = ENROL_SUBMITTED, ACC = ENROL_ACCEPTED, WAI = ENROL_WAITLISTED,
       REJ = ENROL_REJECTED, REG = ENROL_REGISTERED, WDR = ENROL_WITHDRAWN, NSTATUS = 6 };

/* The whole table of enrolment.h: 1 where from -> to is a transition. */
static const int allowed[NSTATUS][NSTATUS] = {
    /*            SUB ACC WAI REJ REG WDR */
    [SUB] = {     0,  1,  1,  1,  0,  1},
    [ACC] = {     0,  0,  1,  1,  1,  1},
    [WAI] = {     0,  1,  0,  1,  0,  1},
    [REJ] = {     0,  1,  1,  0,  0,  0},
    [REG] = {     0,  0,  0,  0,  0,  1},
    [WDR] = {     0,  0,  0,  0,  0,  0},
};

static void every_status_change_is_allowed_or_refused_by_the_table(void **state)
{
    (void)state;
    for (int from = 0; from < NSTATUS; from++)
        for (int to = 0; to < NSTATUS; to++) {
            decide_result want = from == to ? DECIDE_SAME
                               : allowed[from][to] ? DECIDE_OK : DECIDE_NOT_ALLOWED;
            decide_result got = enrol_decide((enrol_status)from, (enrol_status)to, 0, 100);
            if (got != want)
                fail_msg("%s -> %s: got %d, want %d", enrol_status_name((enrol_status)from),
                         enrol_status_name((enrol_status)to), got, want);
        }
}

static void refusals_people_might_try(void **state)
{
    (void)state;
    /* A rejected candidate cannot register, nor come back from withdrawal. */
    assert_int_equal(enrol_decide(ENROL_REJECTED, ENROL_REGISTERED, 0, 30), DECIDE_NOT_ALLOWED);
    assert_int_equal(enrol_decide(ENROL_WITHDRAWN, ENROL_ACCEPTED, 0, 30), DECIDE_NOT_ALLOWED);
    assert_int_equal(enrol_decide(ENROL_REGISTERED, ENROL_ACCEPTED, 0, 30), DECIDE_NOT_ALLOWED);
    assert_int_equal(enrol_decide(ENROL_SUBMITTED, ENROL_REGISTERED, 0, 30), DECIDE_NOT_ALLOWED);
    assert_int_equal(enrol_decide(ENROL_WAITLISTED, ENROL_REGISTERED, 0, 30), DECIDE_NOT_ALLOWED);
    /* A refused change is refused also when the course is full. */
    assert_int_equal(enrol_decide(ENROL_REJECTED, ENROL_REGISTERED, 30, 30), DECIDE_NOT_ALLOWED);
    /* Unknown statuses go nowhere. */
    assert_int_equal(enrol_decide(ENROL_INVALID, ENROL_ACCEPTED, 0, 30), DECIDE_NOT_ALLOWED);
    assert_int_equal(enrol_decide(ENROL_SUBMITTED, ENROL_INVALID, 0, 30), DECIDE_NOT_ALLOWED);
}

static void a_full_course_takes_nobody_new(void **state)
{
    (void)state;
    /* The last place can be given; beyond it, no. */
    assert_int_equal(enrol_decide(ENROL_SUBMITTED, ENROL_ACCEPTED, 29, 30), DECIDE_OK);
    assert_int_equal(enrol_decide(ENROL_SUBMITTED, ENROL_ACCEPTED, 30, 30), DECIDE_FULL);
    assert_int_equal(enrol_decide(ENROL_WAITLISTED, ENROL_ACCEPTED, 30, 30), DECIDE_FULL);
    assert_int_equal(enrol_decide(ENROL_REJECTED, ENROL_ACCEPTED, 31, 30), DECIDE_FULL);
    /* Registering keeps the place already held, even in a full course. */
    assert_int_equal(enrol_decide(ENROL_ACCEPTED, ENROL_REGISTERED, 30, 30), DECIDE_OK);
    /* Statuses without a place are not limited. */
    assert_int_equal(enrol_decide(ENROL_SUBMITTED, ENROL_WAITLISTED, 30, 30), DECIDE_OK);
    assert_int_equal(enrol_decide(ENROL_ACCEPTED, ENROL_WITHDRAWN, 30, 30), DECIDE_OK);
    assert_int_equal(enrol_decide(ENROL_SUBMITTED, ENROL_REJECTED, 30, 30), DECIDE_OK);
    /* A course with no places. */
    assert_int_equal(enrol_decide(ENROL_SUBMITTED, ENROL_ACCEPTED, 0, 0), DECIDE_FULL);
}

static void statuses_and_places(void **state)
{
    (void)state;
    const char *names[] = {"submitted", "accepted", "waitlisted", "rejected", "registered",
                           "withdrawn"};
    for (int i = 0; i < NSTATUS; i++) {
        assert_int_equal(enrol_status_parse(names[i]), i);
        assert_string_equal(enrol_status_name((enrol_status)i), names[i]);
        assert_int_equal(enrol_takes_place((enrol_status)i), i == ACC || i == REG);
    }
    assert_int_equal(enrol_status_parse("Accepted"), ENROL_INVALID);
    assert_int_equal(enrol_status_parse("accepted "), ENROL_INVALID);
    assert_int_equal(enrol_status_parse(""), ENROL_INVALID);
    assert_int_equal(enrol_status_parse(NULL), ENROL_INVALID);
    assert_string_equal(enrol_status_name(ENROL_INVALID), "invalid");
    assert_string_equal(enrol_status_name((enrol_status)NSTATUS), "invalid");
    assert_false(enrol_takes_place(ENROL_INVALID));
}

static void the_longest_waiting_candidate_is_promoted(void **state)
{
    (void)state;
    /* Not in list order: the earliest stamp wins wherever it is. */
    const char *w1[] = {"2026-03-02T10:00:05Z", "2026-03-02T10:00:01Z", "2026-03-02T10:00:03Z"};
    assert_int_equal(enrol_promote(w1, 3, 29, 30), 1);
    const char *w2[] = {"2026-03-02T10:00:05Z", "2026-03-02T10:00:03Z", "2026-03-01T23:59:59Z"};
    assert_int_equal(enrol_promote(w2, 3, 29, 30), 2);
    const char *w3[] = {"2026-03-01T09:00:00Z", "2026-03-02T10:00:03Z", "2026-03-03T00:00:00Z"};
    assert_int_equal(enrol_promote(w3, 3, 0, 30), 0);
    /* Two in the same second: the first of the list (the lower id). */
    const char *w4[] = {"2026-03-02T10:00:05Z", "2026-03-02T10:00:01Z", "2026-03-02T10:00:01Z"};
    assert_int_equal(enrol_promote(w4, 3, 29, 30), 1);
    /* Entries without a stamp are skipped, whatever their place. */
    const char *w5[] = {NULL, "2026-03-02T10:00:09Z", NULL, "2026-03-02T10:00:02Z"};
    assert_int_equal(enrol_promote(w5, 4, 29, 30), 3);
    const char *w6[] = {NULL, NULL};
    assert_int_equal(enrol_promote(w6, 2, 0, 30), -1);
    /* Nobody waits, or the course is still full: nobody is promoted. */
    assert_int_equal(enrol_promote(w1, 0, 0, 30), -1);
    assert_int_equal(enrol_promote(w1, 3, 30, 30), -1);
    assert_int_equal(enrol_promote(w1, 3, 31, 30), -1);
}

static void retry_delay_doubles_then_stops_at_its_cap(void **state)
{
    (void)state;
    const long want[] = {30, 60, 120, 240, 480, 600, 600, 600};
    for (int i = 0; i < 8; i++)
        if (retry_delay(i + 1, 30, 600) != want[i])
            fail_msg("attempt %d: %ld, want %ld", i + 1, retry_delay(i + 1, 30, 600), want[i]);
    /* Far past the cap it neither overflows nor wraps. */
    assert_int_equal(retry_delay(20, 30, 600), 600);
    assert_int_equal(retry_delay(1000, 30, 600), 600);
    assert_int_equal(retry_delay(INT_MAX, 30, 600), 600);
    /* A cap that is no power of two of the base is still the cap. */
    assert_int_equal(retry_delay(2, 30, 100), 60);
    assert_int_equal(retry_delay(3, 30, 100), 100);
    assert_int_equal(retry_delay(4, 30, 100), 100);
    /* Nonsense attempts count as the first; a base above the cap is capped. */
    assert_int_equal(retry_delay(0, 30, 600), 30);
    assert_int_equal(retry_delay(-5, 30, 600), 30);
    assert_int_equal(retry_delay(1, 1000, 600), 600);
    /* A missing base is one second, not zero (which would retry at once). */
    assert_int_equal(retry_delay(1, 0, 600), 1);
    assert_int_equal(retry_delay(3, -10, 600), 4);
    assert_int_equal(retry_delay(1, 1, 1), 1);
    assert_int_equal(retry_delay(2, 1, 1), 1);
}

static void a_sign_in_link_works_for_thirty_minutes(void **state)
{
    (void)state;
    assert_int_equal(SIGNIN_LINK_SECONDS, 30 * 60);
    const char *expires = "2026-03-02T10:30:00Z";
    assert_true(signin_link_live(expires, "2026-03-02T10:00:00Z"));
    assert_true(signin_link_live(expires, "2026-03-02T10:29:59Z"));
    /* At the very second it expires, and after, it no longer works. */
    assert_false(signin_link_live(expires, "2026-03-02T10:30:00Z"));
    assert_false(signin_link_live(expires, "2026-03-02T10:30:01Z"));
    assert_false(signin_link_live(expires, "2026-03-03T00:00:00Z"));
    assert_false(signin_link_live(NULL, "2026-03-02T10:00:00Z"));
    assert_false(signin_link_live(expires, NULL));
}

static void the_attendance_rule_at_its_edges(void **state)
{
    (void)state;
    const long sched[] = {240, 240};
    /* Minutes below zero count as none, and a single minute counts. */
    assert_false(attendance_rule_met((const long[]){-50, 239}, sched, 2, 50, 0));
    assert_true(attendance_rule_met((const long[]){1, 239}, sched, 2, 50, 0));
    assert_true(attendance_rule_met((const long[]){240, 0}, sched, 2, 50, 0));
    assert_false(attendance_rule_met((const long[]){239, 0}, sched, 2, 50, 0));
    /* A day without scheduled time (or a nonsense negative one) is left out;
     * a day of one minute is not. */
    assert_true(attendance_rule_met((const long[]){0, 240}, (const long[]){-10, 240}, 2, 100, 100));
    assert_true(attendance_rule_met((const long[]){0, 240}, (const long[]){0, 240}, 2, 100, 100));
    assert_false(attendance_rule_met((const long[]){0, 240}, (const long[]){1, 240}, 2, 50, 100));
    /* Any minimum per day, even 1 %, refuses a day not attended at all. */
    assert_false(attendance_rule_met((const long[]){0, 240}, sched, 2, 0, 1));
    assert_true(attendance_rule_met((const long[]){3, 240}, sched, 2, 0, 1));
    assert_false(attendance_rule_met((const long[]){2, 240}, sched, 2, 0, 1));
    /* Percentages above 100 mean 100, below 0 mean 0. */
    assert_true(attendance_rule_met((const long[]){240, 240}, sched, 2, 101, 101));
    assert_true(attendance_rule_met((const long[]){240, 240}, sched, 2, 150, 0));
    assert_true(attendance_rule_met((const long[]){0, 0}, sched, 2, -5, -5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_status_change_is_allowed_or_refused_by_the_table),
        cmocka_unit_test(refusals_people_might_try),
        cmocka_unit_test(a_full_course_takes_nobody_new),
        cmocka_unit_test(statuses_and_places),
        cmocka_unit_test(the_longest_waiting_candidate_is_promoted),
        cmocka_unit_test(retry_delay_doubles_then_stops_at_its_cap),
        cmocka_unit_test(a_sign_in_link_works_for_thirty_minutes),
        cmocka_unit_test(the_attendance_rule_at_its_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
