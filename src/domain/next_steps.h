/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the Secretariat should do next in an edition, from where each course
 * stands: the console's home lists these steps.  Pure: the counts come in,
 * the steps go out, in the order a coordinator would take them. */
#ifndef AULA_NEXT_STEPS_H
#define AULA_NEXT_STEPS_H

#include <stdbool.h>
#include <stddef.h>

struct course_day_progress {
    const char *date;   /* YYYY-MM-DD, local to the edition */
    bool imported;      /* a Zoom report was imported for it */
};

struct course_progress {
    long submitted;     /* applications awaiting a decision */
    long registered;    /* participants who completed the registration */
    long invited;       /* registered participants whose invitation was sent */
    long certified;     /* participants holding a valid certificate */
    long outdated;      /* invitations sent before the schedule last changed */
    const struct course_day_progress *days;
    size_t ndays;
};

enum step_kind {
    STEP_FAILED_MAIL,   /* count messages could not be delivered */
    STEP_DECIDE,        /* count applications await a decision */
    STEP_INVITE,        /* count registered participants are not invited yet */
    STEP_UPDATES,       /* count invitations are out of date: the schedule changed */
    STEP_ATTENDANCE,    /* the day date has passed without attendance */
    STEP_CERTIFICATES,  /* every day has attendance and nobody is certified */
};

struct next_step {
    enum step_kind kind;
    size_t course;      /* index into the courses given; unused for mail */
    long count;
    const char *date;   /* STEP_ATTENDANCE: the day */
};

/* Fills out (up to max) with the steps for courses on date today
 * (YYYY-MM-DD in the edition's zone) and returns how many there are (which
 * may exceed max).  Failed messages come first: people are waiting for them. */
size_t next_steps(const struct course_progress *courses, size_t ncourses, long failed_messages,
                  const char *today, struct next_step *out, size_t max);

#endif
