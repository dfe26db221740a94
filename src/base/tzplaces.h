/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The places of the tz database, for choosing a time zone by place: one
 * entry per country and zone, read once from tzdata's zone.tab (or
 * zone1970.tab), never from a list written by hand. */
#ifndef AULA_TZPLACES_H
#define AULA_TZPLACES_H

#include <stddef.h>

struct tz_place {
    char country[3];     /* ISO 3166-1 alpha-2 */
    const char *zone;    /* IANA name: "America/Caracas" */
    const char *region;  /* its first part: "America" */
    const char *city;    /* its last part, underscores as spaces: "Caracas" */
};

/* The places, in the file's order; *n receives how many (0 when tzdata is
 * missing).  Read on first use; safe from several threads. */
const struct tz_place *tz_places(size_t *n);

#endif
