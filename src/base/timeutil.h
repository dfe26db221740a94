/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Civil times in named zones, and dates written out per language.
 *
 * Programme times are entered as wall-clock times in the edition's zone
 * ("2022-03-21" "09:00" in America/Caracas) and converted once, when
 * stored, to UTC instants with the system's tz database. */
#ifndef AULA_TIMEUTIL_H
#define AULA_TIMEUTIL_H

#include <stdbool.h>
#include <time.h>

#include "i18n.h"

/* "YYYY-MM-DD" to y/m/d, checking the day exists in that month. */
bool parse_date(const char *s, int *y, int *m, int *d);
/* "HH:MM" (00:00-23:59) to hour and minute. */
bool parse_hhmm(const char *s, int *h, int *min);
/* "YYYY-MM-DDTHH:MM" to its parts. */
bool parse_datetime_local(const char *s, int *y, int *mo, int *d, int *h, int *mi);
/* True when tz names a zone in the system's tz database. */
bool tz_valid(const char *tz);
/* The UTC instant of a wall-clock time in zone tz. */
bool local_to_utc(const char *tz, int y, int mo, int d, int h, int mi, time_t *out);
/* The wall-clock time in zone tz of instant t. */
bool utc_to_local(const char *tz, time_t t, struct tm *out);
/* "2022-03-21T13:00:00Z" to an instant. */
bool parse_utc_iso(const char *s, time_t *out);
/* Offset of zone tz from UTC at instant t, in minutes (Caracas: -240). */
int tz_offset_minutes(const char *tz, time_t t);
/* "2022-03-21T13:00:00Z" into buf (at least 21 bytes). */
void format_utc_iso(time_t t, char *buf, size_t n);
/* "UTC−04:00" style label into buf. */
void format_utc_offset(int minutes, char *buf, size_t n);
/* The last component of a zone name, with underscores as spaces:
 * "America/Caracas" gives "Caracas". */
const char *tz_city(const char *tz);
/* A date written out: "lunes, 21 de marzo de 2022" or "Monday, 21 March 2022". */
void format_date_long(lang_t lang, int y, int m, int d, char *buf, size_t n);
/* Day of the week, 0 = Sunday. */
int weekday(int y, int m, int d);

#endif
