/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The courses of a programme as programme_view() or programme_load()
 * return it ({"edition": {"courses": [...]}}): the one walk over them that
 * pages and operations share, instead of writing it again each time. */
#ifndef AULA_APP_COURSES_H
#define AULA_APP_COURSES_H

#include <jansson.h>
#include <stdint.h>

/* The edition's courses (an array; NULL for no programme). */
json_t *programme_courses(json_t *programme);

/* For each course c of programme, its position in i. */
#define programme_foreach_course(programme, i, c) \
    json_array_foreach(programme_courses(programme), i, c)

/* The course whose slug is slug, or NULL (also for a NULL slug). */
json_t *programme_course(json_t *programme, const char *slug);

/* The slug of the edition's first course, or NULL when it has none. */
const char *programme_first_course(json_t *programme);

/* A course switcher: [{"slug", "title", "current"}] in the programme's
 * order, current marking the course slug. */
json_t *programme_course_choices(json_t *programme, const char *slug);

/* The id of the day date of course slug (programme_load(..., true)), or 0. */
int64_t programme_course_day(json_t *programme, const char *slug, const char *date);

#endif
