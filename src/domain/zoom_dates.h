/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dates and times as Zoom reports write them, and their conversion from
 * the exporting account's zone to UTC.  The accepted forms and the rules
 * for numeric date order are described in zoom_report.h; this file reads
 * one date at a time, and the date order of a file is decided by its
 * caller.  Internal to src/domain. */
#ifndef AULA_ZOOM_DATES_H
#define AULA_ZOOM_DATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum dt_kind { DT_NUM = 1, DT_YMD, DT_ABS };

/* A date as read: DT_NUM has its two leading numbers in a and b (order
 * decided per file), DT_YMD month a and day b, DT_ABS an instant. */
struct dt {
    time_t abs;
    int16_t y;
    int8_t a, b, h, mi, s, kind;
};

/* Reads one date and time (a CSV field, quotes already removed); false
 * when s is not one of the accepted forms or its year is outside
 * 2000-2099. */
bool dt_parse(const char *s, struct dt *o);

/* Month and day of a date under the file's order; false when no such day. */
bool dt_month_day(const struct dt *t, bool day_first, int *m, int *d);

/* Seconds since the epoch as if the wall-clock time were UTC. */
int64_t dt_naive(const struct dt *t, int m, int d);

/* Converts local wall-clock times of one zone to UTC, remembering each
 * distinct date (at most ZOOM_MAX_DATES of them).  Start it zeroed with tz
 * set; release it with zone_cache_free(). */
struct zone_cache {
    const char *tz;
    struct zone_day *slot;
    size_t cap, count;
    struct zone_hours *hours;
    size_t nhours, hcap;
    long calls; /* local_to_utc() calls made */
};

/* 1 converted, 0 the zone cannot convert it, -1 out of memory, -2 too
 * many distinct dates. */
int zone_cache_convert(struct zone_cache *c, int y, int m, int d, int h, int mi, int s,
                       time_t *out);

void zone_cache_free(struct zone_cache *c);

#endif
