/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Counting requests per key (an address, an email) in fixed time windows,
 * in memory.  Enough for one server process; limits reset on restart.
 * Keys are compared with ASCII letters folded to lower case, as accounts are
 * found by email case-insensitively; a key's count is never reset by other
 * keys, however many there are. */
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
/* Records one event for key, with no limit (for rate_backoff). */
void rate_record(const char *key, int window_seconds, time_t now);
/* Back-off rather than lock-out: once key has free_events events in its
 * window, each further one waits 1, 2, 4, ... seconds (at most max_wait)
 * after the last.  Returns the seconds still to wait, 0 when it may go. */
int rate_backoff(const char *key, int free_events, int window_seconds, int max_wait, time_t now);
/* Forgets every key (tests). */
void rate_reset(void);

#endif
