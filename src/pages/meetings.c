/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Meetings and personal join links: the console's meetings of every day,
 * saved together, and the participant's side (the join link that opens
 * the day's meeting, and what /me shows of a registered course). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../app/courses.h"
#include "../base/timeutil.h"
#include "../store/account_store.h"
#include "../store/attendance_store.h"
#include "../store/certificate_store.h"
#include "../store/programme_store.h"
#include "attendance.h"
#include "attendance_view.h"
#include "meetings.h"
#include "render.h"
#include "programme_view.h"

json_t *attendance_grid(request *req, const char *edition, const char *course_slug);

/* ---- meetings ---- */

static const char *const platforms[] = {"zoom", "jitsi", "teams", "other", NULL};
static const char *const platform_keys[] = {"meetings.platform.zoom", "meetings.platform.jitsi",
                                            "meetings.platform.teams", "meetings.platform.other"};

/* One form for every day of the edition: each field is a column, one
 * value per day, so that what was typed for one day is never dropped by
 * saving another. */
static const struct field_spec meeting_fields[] = {
    {.name = "day", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX, .repeated = true},
    {.name = "platform", .v = V_CHOICE, .required = true, .choices = platforms, .repeated = true},
    {.name = "join_url", .v = V_URL, .repeated = true},
    {.name = "meeting_id", .v = V_LINE, .max_len = 60, .repeated = true},
    {.name = "passcode", .v = V_LINE, .max_len = 60, .repeated = true},
};
const struct form_spec meeting_form = FORM_SPEC(meeting_fields);

static json_t *platform_options(const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; platforms[i]; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "value", json_string(platforms[i]));
        json_object_set_new(o, "label", bilingual_tr(platform_keys[i]));
        json_object_set_new(o, "selected", json_boolean(chosen && strcmp(chosen, platforms[i]) == 0));
        json_array_append_new(list, o);
    }
    return list;
}

/* The row of the submitted form that is about day, or -1. */
static long submitted_row(const struct form_values *f, int64_t day)
{
    const struct field_value *days = form_get(f, "day");
    for (size_t i = 0; i < days->nmany; i++)
        if (days->ints[i] == day)
            return (long)i;
    return -1;
}

static const char *column(const struct form_values *f, const char *name, long row)
{
    const struct field_value *v = form_get(f, name);
    return row >= 0 && (size_t)row < v->nmany ? v->many[row] : "";
}

static const char *column_error(const struct form_values *f, const char *name, long row)
{
    const struct field_value *v = form_get(f, name);
    return row >= 0 && (size_t)row < v->nmany && v->errors ? v->errors[row] : NULL;
}

/* The meetings page: what is stored, or, when submitted is given, what
 * was typed with each day's problems beside its fields. */
static void show_meetings(request *req, response *res, int status, const struct form_values *submitted)
{
    json_t *p = programme_load(req_param(req, "slug"), true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    size_t i, j;
    json_t *c, *d;
    programme_foreach_course(p, i, c) {
        json_array_foreach(json_object_get(c, "days"), j, d) {
            int64_t id = json_integer_value(json_object_get(d, "id"));
            json_object_set_new(d, "date_label", date_label(json_string_value(json_object_get(d, "date"))));
            json_t *m;
            if (submitted) {
                long row = submitted_row(submitted, id);
                m = json_pack("{s:s, s:s, s:s, s:s}", "platform", column(submitted, "platform", row),
                              "join_url", column(submitted, "join_url", row), "meeting_id",
                              column(submitted, "meeting_id", row), "passcode",
                              column(submitted, "passcode", row));
                const char *names[] = {"join_url", "meeting_id", "passcode"};
                for (size_t k = 0; k < 3; k++) {
                    const char *e = column_error(submitted, names[k], row);
                    if (e)
                        json_object_set_new(m, arena_printf(req->a, "%s_error", names[k]),
                                            json_string(tr(req->lang, e)));
                }
            } else {
                m = meeting_of_day(id);
            }
            json_object_set_new(d, "platforms",
                                platform_options(m ? json_string_value(json_object_get(m, "platform")) : "zoom"));
            if (m)
                json_object_set_new(d, "meeting", m);
        }
    }
    json_object_set_new(p, "page_title", bilingual_tr("meetings.title"));
    json_object_set_new(p, "csrf", json_string(csrf_token(req, res)));
    if (submitted)
        json_object_set_new(p, "error", bilingual_tr("meetings.not_saved"));
    else if (req_query(req, "done"))
        json_object_set_new(p, "saved", json_true());
    res_page(req, res, status, "admin_meetings", p);
    res->no_store = true;
}

void admin_meetings(request *req, response *res)
{
    show_meetings(req, res, 200, NULL);
}

/* True when day is a course day of the edition. */
static bool day_in_edition(const char *edition, int64_t day)
{
    json_t *p = programme_load(edition, true);
    size_t i, j;
    json_t *c, *d;
    programme_foreach_course(p, i, c)
        json_array_foreach(json_object_get(c, "days"), j, d)
            if (json_integer_value(json_object_get(d, "id")) == day)
                return true;
    return false;
}

/* Saves the meetings of every day submitted, all or none. */
void admin_meeting_save(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    const struct field_value *days = form_get(f, "day");
    size_t n = days->nmany;
    static const char *const columns[] = {"platform", "join_url", "meeting_id", "passcode"};
    bool shaped = n > 0;
    for (size_t k = 0; k < 4; k++)
        shaped = shaped && form_get(f, columns[k])->nmany == n;
    for (size_t i = 0; shaped && i < n; i++)
        shaped = !days->errors[i] && day_in_edition(slug, days->ints[i]);
    if (!shaped) {
        res_error(req, res, 422, "error.form");
        return;
    }
    if (!f->ok) {
        show_meetings(req, res, 422, f);
        return;
    }
    struct meeting_row *rows = arena_zalloc(req->a, n * sizeof *rows);
    if (!rows) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *url = column(f, "join_url", (long)i);
        const char *mid = column(f, "meeting_id", (long)i);
        const char *pass = column(f, "passcode", (long)i);
        rows[i] = (struct meeting_row){days->ints[i], column(f, "platform", (long)i),
                                       *url ? url : NULL, *mid ? mid : NULL, *pass ? pass : NULL};
    }
    if (!meetings_set(rows, n)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    for (size_t i = 0; i < n; i++)
        audit(req->user.email, "meeting.set",
              arena_printf(req->a, "course_day:%lld", (long long)rows[i].day_id), NULL);
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/meetings?done=1", slug));
}

/* ---- the participant's side ---- */

/* The day whose meeting a click should open: today's in the edition's
 * zone, else the next one, else the last. */
static json_t *meeting_for_now(json_t *course, const char *tz)
{
    time_t now = time(NULL);
    struct tm tm;
    char today[11] = "";
    if (utc_to_local(tz, now, &tm))
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_t *best = NULL;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(course, "days"), i, d) {
        json_t *m = meeting_of_day(json_integer_value(json_object_get(d, "id")));
        if (!m)
            continue;
        best = m;
        if (strcmp(json_string_value(json_object_get(d, "date")), today) >= 0)
            return m;
    }
    return best;
}

void page_join(request *req, response *res)
{
    int64_t enrolment = 0;
    const char *token = req_param(req, "token");
    enum join_state s = strlen(token) < 64 ? join_link_use(token, &enrolment) : JOIN_UNKNOWN;
    char edition[128], course[128];
    if (s != JOIN_OK || !enrolment_course(enrolment, edition, sizeof edition, course, sizeof course)) {
        json_t *data = json_pack("{s:o, s:o}", "page_title", bilingual_tr("join.invalid_title"),
                                 "message", bilingual_tr(s == JOIN_REVOKED ? "join.revoked" : "join.unknown"));
        res_page(req, res, 404, "join", data);
        res->no_store = true;
        return;
    }
    json_t *p = programme_load(edition, true);
    json_t *c = programme_course(p, course);
    json_t *m = c ? meeting_for_now(c, json_string_value(json_object_get(json_object_get(p, "edition"), "time_zone"))) : NULL;
    if (!m) {
        json_t *data = json_pack("{s:o, s:o}", "page_title", bilingual_tr("join.not_yet_title"),
                                 "message", bilingual_tr("join.not_yet"));
        res_page(req, res, 200, "join", data);
        res->no_store = true;
        return;
    }
    res_redirect(req, res, json_string_value(json_object_get(m, "join_url")));
    res->status = 302;
    res->no_store = true;
}

/* What /me shows for a registered enrolment: the personal join link, each
 * day's meeting details, and the attendance so far. */
void me_course_extras(request *req, json_t *app, json_t *enrolment)
{
    const char *edition = json_string_value(json_object_get(app, "edition"));
    const char *course = json_string_value(json_object_get(enrolment, "course"));
    char token[64];
    if (join_link_token(json_integer_value(json_object_get(enrolment, "id")), token, sizeof token))
        json_object_set_new(enrolment, "join_url", json_sprintf("/j/%s", token));
    json_t *p = programme_load(edition, true);
    size_t i, j;
    json_t *d;
    json_t *meetings = json_array();
    json_array_foreach(json_object_get(programme_course(p, course), "days"), j, d) {
        json_t *m = meeting_of_day(json_integer_value(json_object_get(d, "id")));
        if (m) {
            json_object_set(m, "date", json_object_get(d, "date"));
            json_array_append_new(meetings, m);
        }
    }
    json_object_set_new(enrolment, "meetings", meetings);
    json_t *cert = certificate_of_enrolment(json_integer_value(json_object_get(enrolment, "id")));
    if (cert)
        json_object_set_new(enrolment, "certificate", json_pack("{s:O}", "number",
                                                                json_object_get(cert, "number")));
    json_t *grid = attendance_grid(req, edition, course);
    json_t *r;
    json_array_foreach(json_object_get(grid, "rows"), i, r) {
        if (json_integer_value(json_object_get(r, "enrolment_id")) ==
            json_integer_value(json_object_get(enrolment, "id"))) {
            json_object_set(enrolment, "attendance", r);
            json_object_set(enrolment, "attendance_days", json_object_get(grid, "days"));
        }
    }
}
