/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The participant's own page: applications, statuses, what to do next,
 * the registration form and withdrawing from a course. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app/applications.h"
#include "../app/courses.h"
#include "../base/timeutil.h"
#include "../base/tzplaces.h"
#include "../domain/countries.h"
#include "../domain/course_stage.h"
#include "../store/application_store.h"
#include "../store/invitation_store.h"
#include "../store/programme_store.h"
#include "evaluation_pages.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "materials.h"
#include "me.h"
#include "meetings.h"
#include "messages.h"
#include "people_names.h"
#include "render.h"
#include "programme_view.h"

static const struct field_spec register_fields[] = {
    {.name = "confirm", .v = V_INT, .multiple = true, .min = 1, .max = INT64_MAX},
    {.name = "city", .v = V_LINE, .required = true, .max_len = 120},
    {.name = "time_zone", .v = V_TZ, .required = true},
    {.name = "accessibility", .v = V_TEXT, .max_len = 2000},
    {.name = "recording_consent", .v = V_BOOL},
};
const struct form_spec register_form = FORM_SPEC(register_fields);

static const struct field_spec withdraw_fields[] = {
    {.name = "enrolment", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
};
const struct form_spec withdraw_form = FORM_SPEC(withdraw_fields);

/* "2022-03-21T09:00-04:00": the instant with the zone's offset, so that a
 * <time> element says it exactly (aula.js leaves such times alone). */
static const char *local_iso(request *req, const char *tz, time_t t)
{
    struct tm tm;
    if (!utc_to_local(tz, t, &tm))
        return "";
    int off = tz_offset_minutes(tz, t), a = off < 0 ? -off : off;
    return arena_printf(req->a, "%04d-%02d-%02dT%02d:%02d%c%02d:%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, off < 0 ? '-' : '+',
                        a / 60, a % 60);
}

/* The course's days with their times in the participant's zone:
 * [{datetime, date, start, end}], in the request's language. */
static json_t *days_in_zone(request *req, json_t *course, const char *tz)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *d, *b;
    json_array_foreach(json_object_get(course, "days"), i, d) {
        time_t first = 0, last = 0;
        json_array_foreach(json_object_get(d, "blocks"), j, b) {
            time_t s, e;
            if (parse_utc_iso(json_string_value(json_object_get(b, "start_utc")), &s) &&
                (!first || s < first))
                first = s;
            if (parse_utc_iso(json_string_value(json_object_get(b, "end_utc")), &e) && e > last)
                last = e;
        }
        struct tm ts, te;
        if (!first || !utc_to_local(tz, first, &ts) || !utc_to_local(tz, last, &te))
            continue;
        char date[96];
        format_date_long(req->lang, ts.tm_year + 1900, ts.tm_mon + 1, ts.tm_mday, date, sizeof date);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "datetime",
            local_iso(req, tz, first), "date", date,
            "start", arena_printf(req->a, "%02d:%02d", ts.tm_hour, ts.tm_min),
            "end", arena_printf(req->a, "%02d:%02d", te.tm_hour, te.tm_min)));
        /* "22:00–02:00" in Tokyo for a Caracas morning ends the next day. */
        if (ts.tm_yday != te.tm_yday || ts.tm_year != te.tm_year)
            json_object_set_new(json_array_get(out, json_array_size(out) - 1), "next_day",
                                json_true());
    }
    return out;
}

static bool was_invited(const char *edition, const char *course, int64_t enrolment)
{
    size_t i;
    json_t *v;
    json_array_foreach(course_invitees(edition, course), i, v) {
        if (json_integer_value(json_object_get(v, "enrolment_id")) == enrolment)
            return json_is_string(json_object_get(v, "uid"));
    }
    return false;
}

/* The stage of one enrolment from the facts /me knows (see
 * domain/course_stage.h), with its label, its next step and whether it can
 * still be withdrawn. */
/* Whether the participant is asked to evaluate this course now. */
static bool evaluation_pending(json_t *evaluations, const char *edition, const char *course)
{
    size_t i;
    json_t *v;
    json_array_foreach(evaluations, i, v) {
        const char *ve = json_string_value(json_object_get(v, "edition"));
        const char *vc = json_string_value(json_object_get(v, "course"));
        if (ve && vc && edition && course && strcmp(ve, edition) == 0 && strcmp(vc, course) == 0 &&
            json_is_true(json_object_get(v, "can_answer")))
            return true;
    }
    return false;
}

static void add_course_stage(request *req, json_t *app, json_t *e, json_t *programme, time_t now,
                             json_t *evaluations)
{
    const char *edition = json_string_value(json_object_get(app, "edition"));
    const char *status = json_string_value(json_object_get(e, "status"));
    const char *slug = json_string_value(json_object_get(e, "course"));
    json_t *course = programme_course(programme, slug);
    const char *edition_tz = json_string_value(
        json_object_get(json_object_get(programme, "edition"), "time_zone"));
    const char *tz = json_string_value(json_object_get(app, "time_zone"));
    if (!tz || !tz_valid(tz))
        tz = edition_tz ? edition_tz : "UTC";
    struct course_facts f = {.status = status, .now = now};
    if (course)
        course_times(course, &f.starts, &f.ends);
    if (status && strcmp(status, "registered") == 0) {
        f.invited = was_invited(edition, slug, json_integer_value(json_object_get(e, "id")));
        f.certificate = json_object_get(e, "certificate") != NULL;
        json_t *att = json_object_get(e, "attendance");
        json_t *days = json_object_get(e, "attendance_days");
        size_t i;
        json_t *d;
        /* Attendance is known once every day's report is in; until the
         * first one is, there is nothing to show. */
        f.attendance_known = att && json_array_size(days) > 0;
        bool some = false;
        json_array_foreach(days, i, d) {
            f.scheduled_minutes += (long)json_integer_value(json_object_get(d, "scheduled"));
            if (json_is_null(json_object_get(d, "import")))
                f.attendance_known = false;
            else
                some = true;
        }
        json_object_set_new(e, "attendance_so_far", json_boolean(att && some && !f.attendance_known));
        f.attended_minutes = att ? (long)json_integer_value(json_object_get(att, "minutes")) : 0;
        f.rule_met = att && json_is_true(json_object_get(att, "met"));
        f.evaluation_pending = evaluation_pending(evaluations, edition, slug);
    }
    struct course_stage_result r = course_stage(&f);
    const char *name = course_stage_name(r.stage);
    json_object_set_new(e, "stage", json_string(name));
    char key[64];
    /* A closed course says why: not accepted, or withdrawn. */
    if (r.stage == STAGE_CLOSED)
        snprintf(key, sizeof key, "status.%s", status ? status : "withdrawn");
    else
        snprintf(key, sizeof key, "me.stage.%s", name);
    json_object_set_new(e, "status_label", bilingual_tr(key));
    snprintf(key, sizeof key, "me.step.%s", name);
    json_object_set_new(e, "next_step", bilingual_tr(key));
    json_object_set_new(e, "can_withdraw", json_boolean(r.can_withdraw));
    json_object_set_new(e, "edition", json_string(edition));
    json_object_set_new(e, "needs_registration", json_boolean(r.stage == STAGE_ACCEPTED));
    json_object_set_new(e, "application_id",
                        json_integer(json_integer_value(json_object_get(app, "id"))));
    if (f.attendance_known && f.scheduled_minutes > 0)
        json_object_set_new(e, "attended", json_pack("{s:I, s:I}", "minutes",
            (json_int_t)f.attended_minutes, "scheduled", (json_int_t)f.scheduled_minutes));
    if (course && r.stage != STAGE_CLOSED) {
        json_object_set_new(e, "days", days_in_zone(req, course, tz));
        json_object_set_new(e, "zone_city", json_string(tz_city(tz)));
    }
}

void page_me(request *req, response *res)
{
    json_t *apps = applications_of_account(req->user.id);
    json_t *evaluations = evaluations_for_me(req);
    time_t now = time(NULL);
    size_t i;
    json_t *a;
    json_array_foreach(apps, i, a) {
        const char *edition = json_string_value(json_object_get(a, "edition"));
        json_t *programme = programme_load(edition, true);
        bool needs_registration = false;
        size_t j;
        json_t *e;
        json_array_foreach(json_object_get(a, "enrolments"), j, e) {
            if (strcmp(json_string_value(json_object_get(e, "status")), "registered") == 0) {
                /* Training material, join link, attendance, certificate. */
                json_object_set_new(e, "materials", materials_for_participant(
                    req, edition, json_string_value(json_object_get(e, "course"))));
                me_course_extras(req, a, e);
            }
            if (programme)
                add_course_stage(req, a, e, programme, now, evaluations);
            needs_registration |= json_is_true(json_object_get(e, "needs_registration"));
        }
        json_object_set_new(a, "needs_registration", json_boolean(needs_registration));
    }
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("me.title"));
    json_object_set_new(data, "email", json_string(req->user.email));
    json_object_set_new(data, "applications", apps);
    json_object_set_new(data, "evaluations", evaluations);
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    if (req_query(req, "registered"))
        json_object_set_new(data, "just_registered", json_true());
    res_page(req, res, 200, "me", data);
    res->no_store = true;
}

/* The application named in the path, if it belongs to the signed-in person. */
static json_t *own_application(request *req, response *res)
{
    const char *s = req_param(req, "id");
    char *end;
    long long id = s ? strtoll(s, &end, 10) : 0;
    json_t *app = (id > 0 && !*end) ? application_load(id) : NULL;
    if (!app || json_integer_value(json_object_get(app, "account_id")) != req->user.id) {
        res_error(req, res, 404, "error.not_found");
        return NULL;
    }
    return app;
}

/* The time zones as places, grouped by region in the visitor's language:
 * [{label, places: [{value, label, selected}]}], the Americas first (the
 * programme's region), each group sorted by its labels. */
static json_t *zone_groups(request *req, const char *selected)
{
    static const char *const regions[] = {"America", "Europe", "Africa", "Asia", "Atlantic",
                                          "Indian", "Pacific", "Australia", "Antarctica", "Arctic",
                                          NULL};
    size_t n;
    const struct tz_place *pl = tz_places(&n);
    json_t *groups = json_array();
    for (const char *const *r = regions; *r; r++) {
        json_t *places = json_array();
        for (size_t i = 0; i < n; i++) {
            if (strcmp(pl[i].region, *r) != 0)
                continue;
            const struct country *c = country_by_code(pl[i].country);
            const char *name = c ? (req->lang == LANG_EN ? c->name_en : c->name_es) : NULL;
            /* "Venezuela — Caracas"; a country's only zone named after its capital
             * still says the city, which is what people look for. */
            const char *label = name ? arena_printf(req->a, "%s — %s", name, pl[i].city) : pl[i].city;
            json_array_append_new(places, json_pack("{s:s, s:s, s:b}", "value", pl[i].zone,
                "label", label ? label : pl[i].city,
                "selected", selected && strcmp(selected, pl[i].zone) == 0));
        }
        if (!json_array_size(places)) {
            json_decref(places);
            continue;
        }
        char key[48];
        snprintf(key, sizeof key, "tz.region.%s", *r);
        json_array_append_new(groups, json_pack("{s:s, s:o}", "label", tr(req->lang, key),
                                                "places", sort_by_label(places)));
    }
    return groups;
}

static void show_register(request *req, response *res, int status, json_t *app,
                          const struct form_values *f)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("register.title"));
    json_object_set(data, "application", app);
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_t *courses = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        const char *s = json_string_value(json_object_get(e, "status"));
        if (strcmp(s, "accepted") == 0 || strcmp(s, "registered") == 0)
            json_array_append(courses, e);
    }
    json_object_set_new(data, "courses", courses);
    const char *city = json_string_value(json_object_get(app, "city"));
    const char *tz = json_string_value(json_object_get(app, "time_zone"));
    const char *acc = json_string_value(json_object_get(app, "accessibility"));
    bool consent = json_integer_value(json_object_get(app, "recording_consent")) == 1;
    if (f && f->spec) {
        city = form_str(f, "city");
        tz = form_str(f, "time_zone");
        acc = form_str(f, "accessibility");
        consent = form_bool(f, "recording_consent");
        /* Each problem beside its field and, as a link to it, in the summary. */
        json_t *errors = json_array();
        for (size_t k = 0; k < f->spec->n; k++) {
            const char *name = f->spec->fields[k].name;
            const char *err = f->v[k].error;
            if (!err)
                continue;
            if (strcmp(err, "error.required") == 0 && strcmp(name, "city") == 0)
                err = "register.missing.city";
            json_object_set_new(data, arena_printf(req->a, "%s_error", name), bilingual_tr(err));
            json_array_append_new(errors, json_pack("{s:s, s:o}", "href",
                arena_printf(req->a, "#%s", name), "message", bilingual_tr(err)));
        }
        json_object_set_new(data, "errors", errors);
        json_object_set_new(data, "error", bilingual_tr("error.form"));
    }
    json_object_set_new(data, "city", json_string(city ? city : ""));
    /* Preselected: the zone given before, else the edition's (and the
     * browser's, by script, when nothing was given). */
    if (!tz || !*tz) {
        json_t *programme = programme_load(json_string_value(json_object_get(app, "edition")), false);
        tz = json_string_value(json_object_get(json_object_get(programme, "edition"), "time_zone"));
        json_object_set_new(data, "zone_guess", json_true());
    }
    json_object_set_new(data, "time_zone", json_string(tz ? tz : ""));
    json_object_set_new(data, "zones", zone_groups(req, tz));
    json_object_set_new(data, "accessibility", json_string(acc ? acc : ""));
    json_object_set_new(data, "recording_consent", json_boolean(consent));
    res_page(req, res, status, "register", data);
    res->no_store = true;
}

void page_register_form(request *req, response *res)
{
    json_t *app = own_application(req, res);
    if (app)
        show_register(req, res, 200, app, NULL);
}

void page_register(request *req, response *res)
{
    json_t *app = own_application(req, res);
    if (!app)
        return;
    const struct form_values *f = &req->form;
    if (!f->ok) {
        show_register(req, res, 422, app, f);
        return;
    }
    /* The courses ticked; the other accepted ones are declined. */
    const struct field_value *cv = form_get(f, "confirm");
    int64_t *ticked = arena_alloc(req->a, (cv->nmany ? cv->nmany : 1) * sizeof *ticked);
    if (!ticked) {
        res_error(req, res, 503, "error.too_much");
        return;
    }
    for (size_t k = 0; k < cv->nmany; k++)
        ticked[k] = strtoll(cv->many[k], NULL, 10);
    struct registration_details in = {
        .city = form_str(f, "city"),
        .time_zone = form_str(f, "time_zone"),
        .accessibility = form_str(f, "accessibility"),
        .recording_consent = form_bool(f, "recording_consent"),
        .confirm = ticked, .nconfirm = cv->nmany,
    };
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!application_register(&ctx, json_integer_value(json_object_get(app, "id")), &in,
                              aula_message, req, &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    res_redirect(req, res, "/me?registered=1");
}

void page_withdraw(request *req, response *res)
{
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!req->form.ok) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    if (!application_withdraw(&ctx, form_int(&req->form, "enrolment"), aula_message, req, &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    res_redirect(req, res, "/me");
}
