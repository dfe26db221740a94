/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Counting requests per key (an address, an email) in fixed time windows,
 * in memory.  Enough for one server process; limits reset on restart. */
#ifndef AULA_RATE_LIMIT_H
#define AULA_RATE_LIMIT_H

#include <stdbool.h>
#include <time.h>

/* Records one event for key at time now and says whether it is within
 * limit events per window seconds. */
bool rate_allow(const char *key, int limit, int window_seconds, time_t now);
/* Whether one more event for key would be within the limit, without
 * recording one (to refuse before work whose failure is what counts). */
bool rate_peek(const char *key, int limit, int window_seconds, time_t now);
/* Forgets every key (tests). */
void rate_reset(void);

#endif
