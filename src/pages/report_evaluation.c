/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation's part of the final report (report_evaluation_source):
 * for each questionnaire of the edition, how many were asked and answered,
 * whether it is still open, and its statistics, with each trainer's slug
 * replaced by their name.  Written against the evaluation's storage and
 * domain (src/store/evaluation_store.h, src/domain/evaluation.h); it is
 * compiled only once those are in the tree, so the report says "no
 * evaluation" until then.  No comment is quoted unless the coordinator
 * chooses it (choosing is not built yet: quotes stay empty). */
#if defined(__has_include)
#if __has_include("../store/evaluation_store.h") && __has_include("../domain/evaluation.h")
#define AULA_REPORT_HAS_EVALUATION 1
#endif
#endif

#ifdef AULA_REPORT_HAS_EVALUATION
#include <string.h>

#include "../domain/evaluation.h"
#include "../store/db.h"
#include "../store/evaluation_store.h"
#include "report.h"

static void name_trainers(json_t *stats, json_t *trainers)
{
    size_t i, j, k;
    json_t *q, *row, *t;
    json_array_foreach(json_object_get(stats, "questions"), i, q) {
        json_array_foreach(json_object_get(q, "rows"), j, row) {
            const char *slug = json_string_value(json_object_get(row, "trainer"));
            json_array_foreach(trainers, k, t)
                if (slug && strcmp(slug, json_string_value(json_object_get(t, "slug"))) == 0)
                    json_object_set(row, "trainer", json_object_get(t, "name"));
        }
    }
}

static json_t *evaluation_part(request *req, const char *edition)
{
    (void)req;
    json_t *qs = evaluation_of_edition(edition);
    if (!json_array_size(qs))
        return NULL;
    char now[32];
    db_now(now);
    json_t *courses = json_array();
    json_int_t min_group = 5;
    size_t i, j;
    json_t *item, *p, *t;
    json_array_foreach(qs, i, item) {
        json_t *q = evaluation_get_id(json_integer_value(json_object_get(item, "id")));
        if (!q)
            continue;
        int64_t id = json_integer_value(json_object_get(q, "id"));
        json_t *people = evaluation_audience(id);
        json_int_t asked = 0, answered = 0;
        json_array_foreach(people, j, p) {
            asked++;
            answered += json_is_true(json_object_get(p, "answered"));
        }
        json_t *slugs = json_array();
        json_array_foreach(json_object_get(q, "trainers"), j, t)
            json_array_append(slugs, json_object_get(t, "slug"));
        json_t *responses = evaluation_responses(id);
        json_t *stats = evaluation_stats(json_object_get(q, "definition"), slugs, responses);
        name_trainers(stats, json_object_get(q, "trainers"));
        const char *opens = json_string_value(json_object_get(q, "opens_at"));
        const char *closes = json_string_value(json_object_get(q, "closes_at"));
        bool open = opens && closes && strcmp(opens, now) <= 0 && strcmp(now, closes) < 0;
        if (json_integer_value(json_object_get(q, "min_group")) > 0)
            min_group = json_integer_value(json_object_get(q, "min_group"));
        /* The edition's own questionnaire has no course: its title is the
         * edition's. */
        json_array_append_new(courses, json_pack("{s:O?, s:I, s:I, s:b, s:o, s:[], s:O?}", "course",
            json_object_get(q, "course"), "asked", asked, "answered", answered, "open", open,
            "stats", stats ? stats : json_null(), "quotes", "title",
            json_is_true(json_object_get(q, "edition_wide")) ? json_object_get(q, "course_title")
                                                             : NULL));
        json_decref(slugs);
    }
    return json_pack("{s:I, s:o}", "min_group", min_group, "courses", courses);
}

report_evaluation_fn report_evaluation_builtin(void)
{
    return evaluation_part;
}
#else
#include "report.h"

report_evaluation_fn report_evaluation_builtin(void)
{
    return NULL;
}
#endif
