/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "programme_view.h"

#include <stdio.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/i18n.h"
#include "../base/timeutil.h"
#include "../store/programme_store.h"

json_t *bilingual_tr(const char *key)
{
    return json_pack("{s:s, s:s}", "es", tr(LANG_ES, key), "en", tr(LANG_EN, key));
}

static json_t *bilingual_printf(const char *es, const char *en)
{
    return json_pack("{s:s, s:s}", "es", es, "en", en);
}

json_t *date_label(const char *date)
{
    int y, m, d;
    char es[96], en[96];
    if (!parse_date(date, &y, &m, &d))
        return json_string(date);
    format_date_long(LANG_ES, y, m, d, es, sizeof es);
    format_date_long(LANG_EN, y, m, d, en, sizeof en);
    return bilingual_printf(es, en);
}

/* "21–24 de marzo de 2022" / "21–24 March 2022", collapsing what the two
 * dates share. */
json_t *range_label(const char *from, const char *to)
{
    int y1, m1, d1, y2, m2, d2;
    if (!parse_date(from, &y1, &m1, &d1) || !parse_date(to, &y2, &m2, &d2))
        return json_string(from);
    char mk1[16], mk2[16], es[128], en[128];
    snprintf(mk1, sizeof mk1, "month.%d", m1);
    snprintf(mk2, sizeof mk2, "month.%d", m2);
    if (y1 == y2 && m1 == m2 && d1 == d2) {
        snprintf(es, sizeof es, "%d de %s de %d", d1, tr(LANG_ES, mk1), y1);
        snprintf(en, sizeof en, "%d %s %d", d1, tr(LANG_EN, mk1), y1);
    } else if (y1 == y2 && m1 == m2) {
        snprintf(es, sizeof es, "%d\xe2\x80\x93%d de %s de %d", d1, d2, tr(LANG_ES, mk1), y1);
        snprintf(en, sizeof en, "%d\xe2\x80\x93%d %s %d", d1, d2, tr(LANG_EN, mk1), y1);
    } else {
        snprintf(es, sizeof es, "%d de %s de %d \xe2\x80\x93 %d de %s de %d", d1,
                 tr(LANG_ES, mk1), y1, d2, tr(LANG_ES, mk2), y2);
        snprintf(en, sizeof en, "%d %s %d \xe2\x80\x93 %d %s %d", d1, tr(LANG_EN, mk1), y1, d2,
                 tr(LANG_EN, mk2), y2);
    }
    return bilingual_printf(es, en);
}

/* "hora de Caracas (UTC−04:00)" / "Caracas time (UTC−04:00)" at the edition's start. */
static json_t *zone_label(const char *tz, const char *date)
{
    int y, m, d;
    time_t t = 0;
    if (parse_date(date, &y, &m, &d))
        local_to_utc(tz, y, m, d, 12, 0, &t);
    char off[32], es[128], en[128];
    format_utc_offset(tz_offset_minutes(tz, t), off, sizeof off);
    const char *city = tz_city(tz);
    snprintf(es, sizeof es, "hora de %s (%s)", city, off);
    snprintf(en, sizeof en, "%s time (%s)", city, off);
    return bilingual_printf(es, en);
}

static json_t *person_by_slug(json_t *people, const char *slug)
{
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (strcmp(json_string_value(json_object_get(p, "slug")), slug) == 0)
            return p;
    }
    return NULL;
}

/* Replaces references ("person": slug) by the person, with a role label. */
static void resolve_session_people(json_t *session, json_t *people)
{
    size_t i;
    json_t *ref;
    json_t *speakers = json_array(), *moderators = json_array(), *trainers = json_array();
    json_array_foreach(json_object_get(session, "people"), i, ref) {
        json_t *p = person_by_slug(people, json_string_value(json_object_get(ref, "person")));
        if (!p)
            continue;
        const char *role = json_string_value(json_object_get(ref, "role"));
        json_array_append(strcmp(role, "moderator") == 0 ? moderators
                          : strcmp(role, "trainer") == 0 ? trainers
                                                         : speakers,
                          p);
    }
    json_object_set_new(session, "speakers", speakers);
    json_object_set_new(session, "moderators", moderators);
    json_object_set_new(session, "session_trainers", trainers);
    json_object_set_new(session, "is_welcome",
                        json_boolean(strcmp(json_string_value(json_object_get(session, "kind")),
                                            "welcome") == 0));
}

static void decorate_course(json_t *course, json_t *people, const char *edition_slug)
{
    char url[256];
    snprintf(url, sizeof url, "/events/%s/courses/%s", edition_slug,
             json_string_value(json_object_get(course, "slug")));
    json_object_set_new(course, "url", json_string(url));
    json_t *trainers = json_array();
    size_t i, j, k;
    json_t *t, *day, *block, *session;
    json_array_foreach(json_object_get(course, "trainers"), i, t) {
        json_t *p = person_by_slug(people, json_string_value(t));
        if (p)
            json_array_append(trainers, p);
    }
    json_object_set_new(course, "trainer_people", trainers);
    json_t *days = json_object_get(course, "days");
    json_object_set_new(course, "day_count", json_integer((json_int_t)json_array_size(days)));
    json_array_foreach(days, i, day) {
        json_object_set_new(day, "date_label",
                            date_label(json_string_value(json_object_get(day, "date"))));
        json_array_foreach(json_object_get(day, "blocks"), j, block) {
            json_array_foreach(json_object_get(block, "sessions"), k, session)
                resolve_session_people(session, people);
        }
    }
    if (json_array_size(days)) {
        const char *first = json_string_value(json_object_get(json_array_get(days, 0), "date"));
        const char *last = json_string_value(
            json_object_get(json_array_get(days, json_array_size(days) - 1), "date"));
        json_object_set_new(course, "dates_label", range_label(first, last));
    }
}

json_t *programme_view(const char *slug, int drafts)
{
    json_t *p = programme_load(slug, true);
    if (!p)
        return NULL;
    json_t *e = json_object_get(p, "edition");
    const char *status = json_string_value(json_object_get(e, "status"));
    if (!drafts && strcmp(status, "published") != 0) {
        json_decref(p);
        return NULL;
    }
    const char *tz = json_string_value(json_object_get(e, "time_zone"));
    const char *starts = json_string_value(json_object_get(e, "starts_on"));
    json_object_set_new(e, "dates_label",
                        range_label(starts, json_string_value(json_object_get(e, "ends_on"))));
    json_object_set_new(e, "zone_label", zone_label(tz, starts));
    char url[200];
    snprintf(url, sizeof url, "/events/%s", slug);
    json_object_set_new(e, "url", json_string(url));
    json_t *people = json_object_get(e, "people");
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(e, "courses"), i, c) decorate_course(c, people, slug);

    /* Trainers first on the speakers page, then everyone else. */
    json_t *trainers = json_array(), *others = json_array();
    json_t *person;
    json_array_foreach(people, i, person) {
        int is_trainer = 0;
        size_t j;
        json_t *course, *t;
        json_array_foreach(json_object_get(e, "courses"), j, course) {
            size_t k;
            json_array_foreach(json_object_get(course, "trainers"), k, t) {
                if (json_equal(t, json_object_get(person, "slug")))
                    is_trainer = 1;
            }
        }
        json_array_append(is_trainer ? trainers : others, person);
    }
    json_object_set_new(e, "trainer_people", trainers);
    json_object_set_new(e, "other_people", others);
    json_t *organisers = json_array(), *partners = json_array();
    json_t *inst;
    json_array_foreach(json_object_get(e, "institutions"), i, inst) {
        const char *role = json_string_value(json_object_get(inst, "role"));
        json_array_append(strcmp(role, "organiser") == 0 ? organisers : partners, inst);
    }
    json_object_set_new(e, "organisers", organisers);
    json_object_set_new(e, "partners", partners);
    /* Decorations lost to an exhausted arena: no view (a 503). */
    if (arena_current() && arena_exhausted(arena_current()))
        return NULL;
    return p;
}
