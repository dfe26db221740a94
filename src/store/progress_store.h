/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Where an edition stands, for the console's home: counts per course. */
#ifndef AULA_PROGRESS_STORE_H
#define AULA_PROGRESS_STORE_H

#include <jansson.h>

/* {"failed_messages": n, "courses": [{"slug", "title": {es, en}, "capacity",
 *   "status": {"submitted": n, "accepted": n, "waitlisted": n, "rejected": n,
 *              "registered": n, "withdrawn": n},
 *   "invited": n, "certified": n, "days": [{"date", "imported": bool}]}]},
 * or NULL when the database could not be read. */
json_t *edition_progress(const char *edition_slug);

#endif
