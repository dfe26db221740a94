/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The courses of a programme (see courses.h). */
#include "courses.h"

#include <string.h>

static const char *slug_of(json_t *c)
{
    return json_string_value(json_object_get(c, "slug"));
}

json_t *programme_courses(json_t *programme)
{
    return json_object_get(json_object_get(programme, "edition"), "courses");
}

json_t *programme_course(json_t *programme, const char *slug)
{
    size_t i;
    json_t *c;
    if (!slug)
        return NULL;
    programme_foreach_course(programme, i, c) {
        const char *s = slug_of(c);
        if (s && strcmp(s, slug) == 0)
            return c;
    }
    return NULL;
}

const char *programme_first_course(json_t *programme)
{
    return slug_of(json_array_get(programme_courses(programme), 0));
}

json_t *programme_course_choices(json_t *programme, const char *slug)
{
    json_t *out = json_array();
    size_t i;
    json_t *c;
    programme_foreach_course(programme, i, c) {
        const char *s = slug_of(c);
        json_array_append_new(out, json_pack("{s:O, s:O, s:b}", "slug", json_object_get(c, "slug"),
                                             "title", json_object_get(c, "title"), "current",
                                             s && slug && strcmp(s, slug) == 0));
    }
    return out;
}

int64_t programme_course_day(json_t *programme, const char *slug, const char *date)
{
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(programme_course(programme, slug), "days"), i, d) {
        const char *s = json_string_value(json_object_get(d, "date"));
        if (s && date && strcmp(s, date) == 0)
            return json_integer_value(json_object_get(d, "id"));
    }
    return 0;
}
