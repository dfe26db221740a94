/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* When to try a failed delivery again: exponential backoff. */
#ifndef AULA_RETRY_H
#define AULA_RETRY_H

/* Seconds to wait after the attempts-th failed attempt (1, 2, ...):
 * base, 2*base, 4*base, ... never more than max. */
long retry_delay(int attempts, long base, long max);

#endif
