/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Attendance in the console (imports, matching, overrides, the grid and
 * its exports), personal join links, meetings, and the API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/timeutil.h"
#include "../docs/table_export.h"
#include "../domain/zoom_report.h"
#include "../store/account_store.h"
#include "../store/attendance_store.h"
#include "../store/certificate_store.h"
#include "../store/programme_store.h"
#include "../view/template.h"
#include "pages.h"
#include "programme_view.h"

json_t *attendance_grid(request *req, const char *edition, const char *course_slug);

/* The course of the query (?course=), or the edition's first. */
static const char *chosen_course(request *req, json_t *p)
{
    const char *want = req_query(req, "course");
    json_t *courses = json_object_get(json_object_get(p, "edition"), "courses");
    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        if (want && strcmp(json_string_value(json_object_get(c, "slug")), want) == 0)
            return want;
    }
    return json_string_value(json_object_get(json_array_get(courses, 0), "slug"));
}

static void show_attendance(request *req, response *res, int status, const char *course,
                            const char *notice_key, const char *error_text)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    if (!course)
        course = chosen_course(req, p);
    json_t *grid = course ? attendance_grid(req, slug, course) : NULL;
    if (!grid) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    json_t *courses = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        json_array_append_new(courses, json_pack("{s:O, s:O, s:b}", "slug", json_object_get(c, "slug"),
            "title", json_object_get(c, "title"),
            "current", strcmp(json_string_value(json_object_get(c, "slug")), course) == 0));
    }
    json_object_set_new(grid, "courses", courses);
    json_object_set_new(grid, "time_zone", json_object_get(json_object_get(p, "edition"), "time_zone")
                                               ? json_incref(json_object_get(json_object_get(p, "edition"), "time_zone"))
                                               : json_string("UTC"));
    json_object_set_new(grid, "page_title", bilingual_tr("attendance.title"));
    json_object_set_new(grid, "csrf", json_string(csrf_token(req, res)));
    if (notice_key)
        json_object_set_new(grid, "notice", bilingual_tr(notice_key));
    if (error_text)
        json_object_set_new(grid, "error", json_string(error_text));
    res_page(req, res, status, "admin_attendance", grid);
    res->no_store = true;
}

void admin_attendance(request *req, response *res)
{
    show_attendance(req, res, 200, NULL, req_query(req, "done") ? "attendance.saved" : NULL, NULL);
}

static int64_t day_of(const char *edition, const char *course, const char *date)
{
    json_t *p = programme_load(edition, true);
    size_t i, j;
    json_t *c, *d;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "slug")), course) != 0)
            continue;
        json_array_foreach(json_object_get(c, "days"), j, d) {
            if (strcmp(json_string_value(json_object_get(d, "date")), date) == 0)
                return json_integer_value(json_object_get(d, "id"));
        }
    }
    return 0;
}

static const char *shape_name(enum zoom_shape s)
{
    return s == ZOOM_WEBINAR ? "webinar" : s == ZOOM_PARTICIPANTS_WITH_MEETING ? "meeting" : "participants";
}

/* Reads a report and replaces the day's import.  Used by the console and
 * by `aula attendance import`; err receives the explanation (the parser's
 * or this function's) in lang. */
bool attendance_import_file(arena *a, const char *edition, const char *course, const char *date,
                            const char *tz, const char *path, const char *file_name,
                            const char *by, lang_t lang, size_t *rows, char *err, size_t errlen)
{
    bool es = lang != LANG_EN;
    int64_t day = day_of(edition, course, date);
    if (!day) {
        snprintf(err, errlen,
                 es ? "el curso %s no tiene el día %s en la edición %s" : "%s has no day %s in %s",
                 course, date, edition);
        return false;
    }
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        if (f)
            fclose(f);
        snprintf(err, errlen, es ? "no se puede leer %s" : "cannot read %s", path);
        return false;
    }
    if ((uint64_t)st.st_size > ZOOM_MAX_BYTES) {
        fclose(f);
        snprintf(err, errlen, es ? "el archivo supera los %u MB" : "the file is larger than %u MB",
                 ZOOM_MAX_BYTES / (1024 * 1024));
        return false;
    }
    char *data = arena_alloc(a, (size_t)st.st_size + 1);
    size_t len = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!data) {
        snprintf(err, errlen, "%s",
                 es ? "no hay memoria suficiente para el archivo" : "not enough memory for the file");
        return false;
    }
    struct zoom_report r;
    if (!zoom_report_parse(a, data, len, tz, lang, &r, err, errlen))
        return false;
    if (!attendance_import_replace(day, file_name, tz, shape_name(r.shape), r.rows, r.nrows, by)) {
        snprintf(err, errlen, "%s",
                 es ? "la base de datos está ocupada; no se importó nada"
                    : "the database is busy; nothing was imported");
        return false;
    }
    *rows = r.nrows;
    return true;
}

static const struct field_spec import_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "date", .v = V_DATE, .required = true},
    {.name = "time_zone", .v = V_TZ, .required = true},
};
const struct form_spec attendance_import_form = FORM_SPEC(import_fields);

void admin_attendance_import(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *course = form_str(f, "course");
    if (!f->ok || !req->upload.present) {
        show_attendance(req, res, 422, *course ? course : NULL, NULL,
                        tr(req->lang, !req->upload.present ? "materials.no_file" : "error.form"));
        return;
    }
    char err[1024];
    size_t rows = 0;
    const char *slug = req_param(req, "slug");
    if (!attendance_import_file(req->a, slug, course, form_str(f, "date"), form_str(f, "time_zone"),
                                req->upload.tmp_path, req->upload.file_name, req->user.email,
                                req->lang, &rows, err, sizeof err)) {
        show_attendance(req, res, 422, course, NULL, arena_printf(req->a, "%s: %s",
                        tr(req->lang, "attendance.import_failed"), err));
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug, course));
}

static const struct field_spec match_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "name_key", .v = V_LINE, .required = true, .max_len = 250},
    {.name = "application", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
};
const struct form_spec attendance_match_form = FORM_SPEC(match_fields);

void admin_attendance_match(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    if (!f->ok) {
        show_attendance(req, res, 422, NULL, NULL, tr(req->lang, "attendance.choose_person"));
        return;
    }
    /* Only a registered participant of this edition can be chosen. */
    json_t *people = course_participants(slug, form_str(f, "course"));
    bool known = false;
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (json_integer_value(json_object_get(p, "application_id")) == form_int(f, "application"))
            known = true;
    }
    if (!known || !name_match_set(slug, form_str(f, "name_key"), form_int(f, "application"),
                                  req->user.email)) {
        show_attendance(req, res, 422, form_str(f, "course"), NULL,
                        tr(req->lang, "attendance.choose_person"));
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug,
                                   form_str(f, "course")));
}

static const struct field_spec override_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "enrolment", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "day", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "minutes", .v = V_INT, .required = true, .min = 0, .max = 24 * 60},
    {.name = "reason", .v = V_LINE, .required = true, .max_len = 500},
};
const struct form_spec attendance_override_form = FORM_SPEC(override_fields);

void admin_attendance_override(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    char edition[128], course[128];
    if (!f->ok || !enrolment_course(form_int(f, "enrolment"), edition, sizeof edition, course,
                                    sizeof course) ||
        strcmp(edition, slug) != 0) {
        show_attendance(req, res, 422, *form_str(f, "course") ? form_str(f, "course") : NULL, NULL,
                        tr(req->lang, "attendance.override_invalid"));
        return;
    }
    if (!attendance_override_set(form_int(f, "enrolment"), form_int(f, "day"),
                                 (int)form_int(f, "minutes"), form_str(f, "reason"),
                                 req->user.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug, course));
}

/* The grid as a table: one row per participant, minutes per day. */
static bool attendance_table(request *req, json_t **headers, json_t **rows)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, true);
    if (!p)
        return false;
    json_t *grid = attendance_grid(req, slug, chosen_course(req, p));
    if (!grid)
        return false;
    *headers = json_pack("[s, s]", tr(req->lang, "review.candidate"), tr(req->lang, "field.email"));
    size_t i, j;
    json_t *d, *r, *cell;
    json_array_foreach(json_object_get(grid, "days"), i, d)
        json_array_append_new(*headers, json_sprintf("%s (min)", json_string_value(json_object_get(d, "date"))));
    json_array_append_new(*headers, json_string(tr(req->lang, "attendance.total")));
    json_array_append_new(*headers, json_string("%"));
    json_array_append_new(*headers, json_string(tr(req->lang, "attendance.met")));
    *rows = json_array();
    json_array_foreach(json_object_get(grid, "rows"), i, r) {
        json_t *row = json_pack("[O, O]", json_object_get(r, "name"), json_object_get(r, "email"));
        json_array_foreach(json_object_get(r, "days"), j, cell)
            json_array_append_new(row, json_sprintf("%lld", (long long)json_integer_value(json_object_get(cell, "minutes"))));
        json_array_append_new(row, json_sprintf("%lld", (long long)json_integer_value(json_object_get(r, "minutes"))));
        json_array_append_new(row, json_sprintf("%lld", (long long)json_integer_value(json_object_get(r, "percent"))));
        json_array_append_new(row, json_string(tr(req->lang, json_is_true(json_object_get(r, "met")) ? "attendance.yes" : "attendance.no")));
        json_array_append_new(*rows, row);
    }
    return true;
}

void admin_attendance_csv(request *req, response *res)
{
    json_t *headers, *rows;
    if (!attendance_table(req, &headers, &rows)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    strbuf out;
    sb_init(&out, req->a);
    table_csv(&out, headers, rows);
    res_text(res, 200, "text/csv; charset=utf-8", sb_str(&out), out.len);
    res_header(res, "Content-Disposition", "attachment; filename=\"attendance.csv\"");
    res->no_store = true;
}

void admin_attendance_xlsx(request *req, response *res)
{
    json_t *headers, *rows;
    if (!attendance_table(req, &headers, &rows)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    send_xlsx(req, res, tr(req->lang, "attendance.title"), headers, rows, "attendance.xlsx");
}

static const struct field_spec revoke_link_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "enrolment", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
};
const struct form_spec revoke_link_form = FORM_SPEC(revoke_link_fields);

/* A join link that leaked is revoked; /me then makes a new one. */
void admin_revoke_join_link(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    char edition[128], course[128];
    if (!f->ok || !enrolment_course(form_int(f, "enrolment"), edition, sizeof edition, course,
                                    sizeof course) || strcmp(edition, slug) != 0) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    if (!join_link_revoke(form_int(f, "enrolment"))) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    audit(req->user.email, "join_link.revoke", arena_printf(req->a, "enrolment:%lld",
                                                           (long long)form_int(f, "enrolment")), NULL);
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug, course));
}

/* ---- meetings ---- */

static const char *const platforms[] = {"zoom", "jitsi", "teams", "other", NULL};
static const struct field_spec meeting_fields[] = {
    {.name = "day", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "platform", .v = V_CHOICE, .required = true, .choices = platforms},
    {.name = "join_url", .v = V_URL},
    {.name = "meeting_id", .v = V_LINE, .max_len = 60},
    {.name = "passcode", .v = V_LINE, .max_len = 60},
};
const struct form_spec meeting_form = FORM_SPEC(meeting_fields);

void admin_meetings(request *req, response *res)
{
    json_t *p = programme_load(req_param(req, "slug"), true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    size_t i, j;
    json_t *c, *d;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        json_array_foreach(json_object_get(c, "days"), j, d) {
            json_t *m = meeting_of_day(json_integer_value(json_object_get(d, "id")));
            if (m)
                json_object_set_new(d, "meeting", m);
        }
    }
    json_object_set_new(p, "page_title", bilingual_tr("meetings.title"));
    json_object_set_new(p, "csrf", json_string(csrf_token(req, res)));
    if (req_query(req, "done"))
        json_object_set_new(p, "saved", json_true());
    res_page(req, res, 200, "admin_meetings", p);
    res->no_store = true;
}

void admin_meeting_save(request *req, response *res)
{
    const struct form_values *f = &req->form;
    if (!f->ok) {
        res_error(req, res, 422, "error.form");
        return;
    }
    const char *url = form_str(f, "join_url");
    if (!meeting_set(form_int(f, "day"), form_str(f, "platform"), *url ? url : NULL,
                     *form_str(f, "meeting_id") ? form_str(f, "meeting_id") : NULL,
                     *form_str(f, "passcode") ? form_str(f, "passcode") : NULL)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    audit(req->user.email, "meeting.set", arena_printf(req->a, "course_day:%lld",
                                                       (long long)form_int(f, "day")), url);
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/meetings?done=1", req_param(req, "slug")));
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
    json_t *c = NULL, *x;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, x) {
        if (strcmp(json_string_value(json_object_get(x, "slug")), course) == 0)
            c = x;
    }
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
    json_t *c, *d;
    json_t *meetings = json_array();
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "slug")), course) != 0)
            continue;
        json_array_foreach(json_object_get(c, "days"), j, d) {
            json_t *m = meeting_of_day(json_integer_value(json_object_get(d, "id")));
            if (m) {
                json_object_set(m, "date", json_object_get(d, "date"));
                json_array_append_new(meetings, m);
            }
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

/* GET /api/v1/events/{slug}/attendance */
void api_attendance(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        const char *course = json_string_value(json_object_get(c, "slug"));
        json_t *grid = attendance_grid(req, slug, course);
        size_t j, k;
        json_t *r, *cell;
        json_array_foreach(json_object_get(grid, "rows"), j, r) {
            json_t *days = json_array();
            json_array_foreach(json_object_get(r, "days"), k, cell) {
                json_t *d = json_array_get(json_object_get(grid, "days"), k);
                json_array_append_new(days, json_pack("{s:O, s:O, s:O}", "date",
                    json_object_get(d, "date"), "minutes", json_object_get(cell, "minutes"),
                    "scheduled", json_object_get(d, "scheduled")));
            }
            json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:o, s:O, s:O}", "participant",
                json_object_get(r, "application_id"), "email", json_object_get(r, "email"),
                "course", course, "days", days, "minutes", json_object_get(r, "minutes"),
                "rule_met", json_object_get(r, "met")));
        }
    }
    res_json(req, res, 200, out);
    res->no_store = true;
}
