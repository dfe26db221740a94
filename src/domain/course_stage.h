/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where a participant stands in one course, and what they should do next:
 * /me shows it for every course.  Pure: the facts come in (the enrolment's
 * status, whether the invitation went out, the clock against the course's
 * times, attendance, certificate, evaluation), the stage goes out. */
#ifndef AULA_COURSE_STAGE_H
#define AULA_COURSE_STAGE_H

#include <stdbool.h>
#include <time.h>

struct course_facts {
    const char *status;       /* enrolment status: submitted, accepted, registered, ... */
    bool invited;             /* the invitation (join link, calendar) was sent */
    time_t now;
    time_t starts, ends;      /* first block's start, last block's end (0: unknown) */
    bool attendance_known;    /* a Zoom report covers the course's past days */
    long attended_minutes, scheduled_minutes;
    bool rule_met;            /* the attendance rule holds (or was granted) */
    bool certificate;         /* a valid certificate exists */
    /* The evaluation's hook: a questionnaire for this course is open and
     * unanswered.  Once the course is over it comes before everything else. */
    bool evaluation_pending;
};

enum course_stage {
    STAGE_APPLIED,            /* waiting for the Secretariat's decision */
    STAGE_WAITLISTED,
    STAGE_ACCEPTED,           /* must complete the registration */
    STAGE_REGISTERED,         /* waiting for the invitation */
    STAGE_INVITED,            /* join link and calendar; the course has not started */
    STAGE_IN_SESSION,         /* between the first start and the last end */
    STAGE_ATTENDANCE_PENDING, /* over; attendance not counted yet */
    STAGE_ATTENDED,           /* attendance counted, rule met, certificate to come */
    STAGE_NOT_MET,            /* attendance counted, rule not met */
    STAGE_CERTIFIED,          /* certificate available */
    STAGE_EVALUATION,         /* evaluation awaiting an answer */
    STAGE_CLOSED,             /* rejected, withdrawn or declined: nothing more */
};

struct course_stage_result {
    enum course_stage stage;
    bool can_withdraw;        /* only before the course starts, while it is still open */
};

struct course_stage_result course_stage(const struct course_facts *f);

/* A stable name for the stage ("invited", "in_session", ...): the key of its
 * texts (me.stage.NAME, me.step.NAME) and its CSS class. */
const char *course_stage_name(enum course_stage s);

#endif
