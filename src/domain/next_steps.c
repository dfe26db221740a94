/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "next_steps.h"

#include <string.h>

static void add(struct next_step *out, size_t max, size_t *n, struct next_step s)
{
    if (*n < max)
        out[*n] = s;
    (*n)++;
}

size_t next_steps(const struct course_progress *courses, size_t ncourses, long failed_messages,
                  const char *today, struct next_step *out, size_t max)
{
    size_t n = 0;
    if (failed_messages > 0)
        add(out, max, &n, (struct next_step){STEP_FAILED_MAIL, 0, failed_messages, NULL});
    for (size_t c = 0; c < ncourses; c++) {
        const struct course_progress *p = &courses[c];
        if (p->submitted > 0)
            add(out, max, &n, (struct next_step){STEP_DECIDE, c, p->submitted, NULL});
        if (p->registered > p->invited)
            add(out, max, &n, (struct next_step){STEP_INVITE, c, p->registered - p->invited, NULL});
        /* People hold a calendar entry at the old times until the update goes out. */
        if (p->outdated > 0)
            add(out, max, &n, (struct next_step){STEP_UPDATES, c, p->outdated, NULL});
        /* A day is due once it is over: its report exists from then on. */
        bool all_imported = p->ndays > 0;
        for (size_t d = 0; d < p->ndays; d++) {
            bool past = strcmp(p->days[d].date, today) < 0;
            if (past && !p->days[d].imported)
                add(out, max, &n, (struct next_step){STEP_ATTENDANCE, c, 0, p->days[d].date});
            all_imported = all_imported && p->days[d].imported;
        }
        if (all_imported && p->registered > 0 && p->certified == 0)
            add(out, max, &n, (struct next_step){STEP_CERTIFICATES, c, p->registered, NULL});
    }
    return n;
}
