/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "enrolment.h"

#include <string.h>

static const char *const names[] = {"submitted", "accepted", "waitlisted",
                                    "rejected", "registered", "withdrawn"};

enrol_status enrol_status_parse(const char *s)
{
    for (int i = 0; s && i < (int)(sizeof names / sizeof names[0]); i++)
        if (strcmp(names[i], s) == 0)
            return (enrol_status)i;
    return ENROL_INVALID;
}

const char *enrol_status_name(enrol_status s)
{
    return s >= 0 && s <= ENROL_WITHDRAWN ? names[s] : "invalid";
}

bool enrol_takes_place(enrol_status s)
{
    return s == ENROL_ACCEPTED || s == ENROL_REGISTERED;
}

static bool transition(enrol_status from, enrol_status to)
{
    switch (from) {
    case ENROL_SUBMITTED:
        return to == ENROL_ACCEPTED || to == ENROL_WAITLISTED || to == ENROL_REJECTED ||
               to == ENROL_WITHDRAWN;
    case ENROL_WAITLISTED:
        return to == ENROL_ACCEPTED || to == ENROL_REJECTED || to == ENROL_WITHDRAWN;
    case ENROL_ACCEPTED:
        return to == ENROL_REGISTERED || to == ENROL_WITHDRAWN || to == ENROL_WAITLISTED ||
               to == ENROL_REJECTED;
    case ENROL_REGISTERED:
        return to == ENROL_WITHDRAWN;
    case ENROL_REJECTED:
        return to == ENROL_ACCEPTED || to == ENROL_WAITLISTED;
    default:
        return false;
    }
}

decide_result enrol_decide(enrol_status from, enrol_status to, int taken, int capacity)
{
    if (from == to)
        return DECIDE_SAME;
    if (!transition(from, to))
        return DECIDE_NOT_ALLOWED;
    /* Moving between two place-holding statuses (accepted -> registered)
     * needs no new place. */
    if (enrol_takes_place(to) && !enrol_takes_place(from) && taken >= capacity)
        return DECIDE_FULL;
    return DECIDE_OK;
}

int enrol_promote(const char *const *waitlisted_at, size_t n, int taken, int capacity)
{
    if (taken >= capacity)
        return -1;
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (!waitlisted_at[i])
            continue;
        if (best < 0 || strcmp(waitlisted_at[i], waitlisted_at[best]) < 0)
            best = (int)i;
    }
    return best;
}
