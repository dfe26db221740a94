/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Calendar feeds: the whole edition or one course, one event per time
 * block, in the visitor's language. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../app/courses.h"
#include "../base/timeutil.h"
#include "../docs/ics.h"
#include "../view/template.h"
#include "../app/app.h"
#include "calendar.h"
#include "render.h"
#include "programme_view.h"

static const char *text_in(json_t *v, lang_t lang)
{
    int fb;
    const char *s = bilingual_text(v, lang, &fb);
    return s ? s : "";
}

/* "20220321T090000" from "2022-03-21" and "09:00". */
static void local_stamp(const char *date, const char *hhmm, char out[16])
{
    snprintf(out, 16, "%.4s%.2s%.2sT%.2s%.2s00", date, date + 5, date + 8, hhmm, hhmm + 3);
}

/* "20220321T130000Z" from "2022-03-21T13:00:00Z". */
static void utc_stamp(const char *iso, char out[20])
{
    snprintf(out, 20, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14,
             iso + 17);
}

static void course_events(strbuf *sb, request *req, json_t *e, json_t *course, bool fixed_zone)
{
    lang_t lang = req->lang;
    const char *tz = json_string_value(json_object_get(e, "time_zone"));
    const char *eslug = json_string_value(json_object_get(e, "slug"));
    const char *cslug = json_string_value(json_object_get(course, "slug"));
    char dtstamp[20], now_iso[32];
    time_t now = time(NULL);
    format_utc_iso(now, now_iso, sizeof now_iso);
    utc_stamp(now_iso, dtstamp);
    size_t i, j, k, t;
    json_t *day, *block, *session, *topic;
    json_array_foreach(json_object_get(course, "days"), i, day) {
        const char *date = json_string_value(json_object_get(day, "date"));
        json_array_foreach(json_object_get(day, "blocks"), j, block) {
            const char *start = json_string_value(json_object_get(block, "start"));
            const char *end = json_string_value(json_object_get(block, "end"));
            strbuf summary, desc;
            sb_init(&summary, req->a);
            sb_init(&desc, req->a);
            sb_printf(&summary, "%s: ", text_in(json_object_get(course, "title"), lang));
            json_array_foreach(json_object_get(block, "sessions"), k, session) {
                json_t *num = json_object_get(session, "number");
                const char *title = text_in(json_object_get(session, "title"), lang);
                if (k)
                    sb_puts(&summary, " / ");
                if (json_is_integer(num)) {
                    sb_printf(&summary, "%s %lld: %s", tr(lang, "agenda.session"),
                              (long long)json_integer_value(num), title);
                    sb_printf(&desc, "%s%s %lld: %s\n", k ? "\n" : "", tr(lang, "agenda.session"),
                              (long long)json_integer_value(num), title);
                } else {
                    sb_puts(&summary, title);
                    sb_printf(&desc, "%s%s\n", k ? "\n" : "", title);
                }
                json_array_foreach(json_object_get(session, "topics"), t, topic)
                    sb_printf(&desc, "- %s\n", text_in(topic, lang));
            }
            ics_prop(sb, "BEGIN", "VEVENT");
            char uid[300];
            snprintf(uid, sizeof uid, "%s-%s-%s-%.2s%.2s@aula", eslug, cslug, date, start,
                     start + 3);
            ics_prop(sb, "UID", uid);
            ics_prop(sb, "DTSTAMP", dtstamp);
            char a[20], b[20];
            if (fixed_zone) {
                local_stamp(date, start, a);
                local_stamp(date, end, b);
                ics_prop(sb, arena_printf(req->a, "DTSTART;TZID=%s", tz), a);
                ics_prop(sb, arena_printf(req->a, "DTEND;TZID=%s", tz), b);
            } else {
                utc_stamp(json_string_value(json_object_get(block, "start_utc")), a);
                utc_stamp(json_string_value(json_object_get(block, "end_utc")), b);
                ics_prop(sb, "DTSTART", a);
                ics_prop(sb, "DTEND", b);
            }
            ics_text(sb, "SUMMARY", sb_str(&summary));
            ics_text(sb, "DESCRIPTION", sb_str(&desc));
            const char *platform = json_string_value(json_object_get(e, "platform"));
            if (platform)
                ics_text(sb, "LOCATION", platform);
            ics_prop(sb, "URL", arena_printf(req->a, "%s/events/%s/courses/%s", app_origin(),
                                             eslug, cslug));
            ics_prop(sb, "END", "VEVENT");
        }
    }
}

/* True when the zone keeps one offset over every block of the courses,
 * so a single STANDARD component describes it exactly. */
static bool one_offset(json_t *courses, const char *tz, int *offset)
{
    bool first = true;
    size_t i, j, k;
    json_t *c, *day, *block;
    json_array_foreach(courses, i, c) {
        json_array_foreach(json_object_get(c, "days"), j, day) {
            json_array_foreach(json_object_get(day, "blocks"), k, block) {
                const char *iso = json_string_value(json_object_get(block, "start_utc"));
                struct tm tm = {0};
                if (!iso || !strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm))
                    return false;
                int off = tz_offset_minutes(tz, timegm(&tm));
                if (!first && off != *offset)
                    return false;
                *offset = off;
                first = false;
            }
        }
    }
    return !first;
}

static void send_calendar(request *req, response *res, json_t *p, json_t *only_course)
{
    json_t *e = json_object_get(p, "edition");
    json_t *courses = json_object_get(e, "courses");
    json_t *selected = courses;
    if (only_course) {
        selected = json_array();
        json_array_append(selected, only_course);
    }
    const char *tz = json_string_value(json_object_get(e, "time_zone"));
    int offset = 0;
    bool fixed = one_offset(selected, tz, &offset);
    strbuf sb;
    sb_init(&sb, req->a);
    ics_prop(&sb, "BEGIN", "VCALENDAR");
    ics_prop(&sb, "VERSION", "2.0");
    ics_prop(&sb, "PRODID", "-//Aula//Aula training programmes//EN");
    ics_prop(&sb, "CALSCALE", "GREGORIAN");
    ics_prop(&sb, "METHOD", "PUBLISH");
    ics_text(&sb, "X-WR-CALNAME", text_in(only_course ? json_object_get(only_course, "title")
                                                      : json_object_get(e, "title"),
                                          req->lang));
    if (fixed) {
        ics_prop(&sb, "X-WR-TIMEZONE", tz);
        ics_fixed_timezone(&sb, tz, offset);
    }
    size_t i;
    json_t *c;
    json_array_foreach(selected, i, c) course_events(&sb, req, e, c, fixed);
    ics_prop(&sb, "END", "VCALENDAR");
    res_text(res, 200, "text/calendar; charset=utf-8", sb_str(&sb), sb.len);
    res_header(res, "Content-Disposition",
               arena_printf(req->a, "attachment; filename=\"%s%s%s.ics\"",
                            json_string_value(json_object_get(e, "slug")), only_course ? "-" : "",
                            only_course ? json_string_value(json_object_get(only_course, "slug"))
                                        : ""));
}

void page_event_ics(request *req, response *res)
{
    json_t *p = programme_view(req_param(req, "slug"), 0);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    send_calendar(req, res, p, NULL);
}

void page_course_ics(request *req, response *res)
{
    json_t *p = programme_view(req_param(req, "slug"), 0);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_t *c = programme_course(p, req_param(req, "course"));
    if (c)
        send_calendar(req, res, p, c);
    else
        res_error(req, res, 404, "error.no_course");
}
