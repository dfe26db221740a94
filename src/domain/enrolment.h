/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The life of an application for one course, as pure rules.
 *
 *   submitted -> accepted | waitlisted | rejected
 *   waitlisted -> accepted | rejected          (also by promotion)
 *   accepted -> registered (registration form) | withdrawn | waitlisted | rejected
 *   registered -> withdrawn
 *   rejected -> accepted | waitlisted          (the Secretariat may change its mind)
 *
 * Accepted and registered candidates take a place in the course; a
 * withdrawal frees one, and the first candidate on the waiting list (the
 * longest waiting) takes it. */
#ifndef AULA_ENROLMENT_H
#define AULA_ENROLMENT_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    ENROL_SUBMITTED,
    ENROL_ACCEPTED,
    ENROL_WAITLISTED,
    ENROL_REJECTED,
    ENROL_REGISTERED,
    ENROL_WITHDRAWN,
    ENROL_INVALID = -1,
} enrol_status;

enrol_status enrol_status_parse(const char *s);
const char *enrol_status_name(enrol_status s);

/* Whether the status holds one of the course's places. */
bool enrol_takes_place(enrol_status s);

typedef enum {
    DECIDE_OK,
    DECIDE_SAME,           /* already in that status: nothing to do */
    DECIDE_FULL,           /* no place left in the course */
    DECIDE_NOT_ALLOWED,    /* that change is not one of the transitions */
} decide_result;

/* Whether an enrolment in status from may move to status to, given how many
 * places the course has (capacity) and how many are taken now (taken,
 * counting this enrolment if it already holds one). */
decide_result enrol_decide(enrol_status from, enrol_status to, int taken, int capacity);

/* After a place is freed: the index of the candidate to promote among the
 * waiting list entries (their waitlisted_at timestamps, ISO 8601 so they
 * sort as text), or -1 when nobody waits or the course is still full. */
int enrol_promote(const char *const *waitlisted_at, size_t n, int taken, int capacity);

#endif
