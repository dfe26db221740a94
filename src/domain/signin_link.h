/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* How long an emailed sign-in link works. */
#ifndef AULA_SIGNIN_LINK_H
#define AULA_SIGNIN_LINK_H

#include <stdbool.h>

/* A link works for 30 minutes after it is sent (and only once). */
enum { SIGNIN_LINK_SECONDS = 30 * 60 };

/* Whether a link that expires at expires_at still works at now.  Both are
 * UTC timestamps as "YYYY-MM-DDTHH:MM:SSZ", which sort as text; the link
 * stops working at the instant it expires.  A missing stamp is expired. */
bool signin_link_live(const char *expires_at, const char *now);

#endif
