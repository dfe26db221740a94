/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "course_stage.h"

#include <string.h>

static bool is(const char *status, const char *s)
{
    return status && strcmp(status, s) == 0;
}

struct course_stage_result course_stage(const struct course_facts *f)
{
    struct course_stage_result r = {STAGE_CLOSED, false};
    bool started = f->starts && f->now >= f->starts;
    bool over = f->ends && f->now >= f->ends;
    /* One can step back from a course only before it begins. */
    r.can_withdraw = !started && (is(f->status, "submitted") || is(f->status, "accepted") ||
                                  is(f->status, "waitlisted") || is(f->status, "registered"));
    if (is(f->status, "submitted"))
        r.stage = STAGE_APPLIED;
    else if (is(f->status, "waitlisted"))
        r.stage = STAGE_WAITLISTED;
    else if (is(f->status, "accepted"))
        r.stage = STAGE_ACCEPTED;
    else if (!is(f->status, "registered"))
        r.stage = STAGE_CLOSED;
    else if (over && f->evaluation_pending)
        r.stage = STAGE_EVALUATION;
    else if (f->certificate)
        r.stage = STAGE_CERTIFIED;
    else if (over && f->attendance_known)
        r.stage = f->rule_met ? STAGE_ATTENDED : STAGE_NOT_MET;
    else if (over)
        r.stage = STAGE_ATTENDANCE_PENDING;
    else if (started)
        r.stage = STAGE_IN_SESSION;
    else
        r.stage = f->invited ? STAGE_INVITED : STAGE_REGISTERED;
    return r;
}

const char *course_stage_name(enum course_stage s)
{
    static const char *const names[] = {
        [STAGE_APPLIED] = "applied", [STAGE_WAITLISTED] = "waitlisted",
        [STAGE_ACCEPTED] = "accepted", [STAGE_REGISTERED] = "registered",
        [STAGE_INVITED] = "invited", [STAGE_IN_SESSION] = "in_session",
        [STAGE_ATTENDANCE_PENDING] = "attendance_pending", [STAGE_ATTENDED] = "attended",
        [STAGE_NOT_MET] = "not_met", [STAGE_CERTIFIED] = "certified",
        [STAGE_EVALUATION] = "evaluation", [STAGE_CLOSED] = "closed",
    };
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "closed";
}
