/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Storing and reading programmes (editions with everything in them). */
#ifndef AULA_PROGRAMME_STORE_H
#define AULA_PROGRAMME_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Stores a programme that passed programme_validate(), replacing the
 * edition with the same slug, all in one transaction.  Block times are
 * converted to UTC here.  False with a message when nothing was stored. */
bool programme_save(json_t *programme, char *err, size_t errlen);

/* The programme of edition slug in the file format, or NULL when there is
 * no such edition.  With derived set, every item also carries its "id" and
 * blocks carry "start_utc"/"end_utc", for pages and the console. */
json_t *programme_load(const char *slug, bool derived);

/* Editions, newest first: [{slug, title, starts_on, ends_on, time_zone,
 * status}], only published ones unless all is set. */
json_t *edition_list(bool all);

#endif
