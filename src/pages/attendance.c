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
#include "../domain/name_match.h"
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

/* info_text: a notice of the last import beside notice_key's (which
 * meetings of a report were left out), or NULL. */
static void show_attendance_info(request *req, response *res, int status, const char *course,
                                 const char *notice_key, const char *error_text,
                                 const char *info_text)
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
    attendance_add_suggestions(grid);
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
    if (info_text)
        json_object_set_new(grid, "import_note", json_string(info_text));
    res_page(req, res, status, "admin_attendance", grid);
    res->no_store = true;
}

static void show_attendance(request *req, response *res, int status, const char *course,
                            const char *notice_key, const char *error_text)
{
    show_attendance_info(req, res, status, course, notice_key, error_text, NULL);
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
    return s == ZOOM_WEBINAR                    ? "webinar"
           : s == ZOOM_PARTICIPANTS_WITH_MEETING ? "meeting"
           : s == ZOOM_COMBINED                  ? "combined"
                                                 : "participants";
}

/* Reads the report at path and parses it for the session of date (times
 * written in zone tz, the day a local day of the edition's zone, which goes
 * to *edition_zone when that is not NULL).  Changes nothing. */
static bool read_report(arena *a, const char *edition, const char *date, const char *tz,
                        const char *path, lang_t lang, struct zoom_report *out,
                        const char **edition_zone, char *err, size_t errlen)
{
    bool es = lang != LANG_EN;
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
    /* The session's day is a local day of the edition's zone. */
    json_t *p = programme_load(edition, true);
    const char *edition_tz = json_string_value(json_object_get(json_object_get(p, "edition"), "time_zone"));
    if (!edition_tz)
        edition_tz = tz;
    if (edition_zone)
        *edition_zone = edition_tz;
    return zoom_report_parse_day(a, data, len, tz, date, edition_tz, lang, out, err, errlen);
}

/* Reads a report and replaces the day's import.  Used by the console and
 * by `aula attendance import`; err receives the explanation (the parser's
 * or this function's) in lang.  A report of another day is refused; of a
 * report with meetings on several days only the session day's are kept,
 * and *note (when note is not NULL) says which were left out (else NULL). */
bool attendance_import_file(arena *a, const char *edition, const char *course, const char *date,
                            const char *tz, const char *path, const char *file_name,
                            const char *by, lang_t lang, size_t *rows, const char **note,
                            char *err, size_t errlen)
{
    if (note)
        *note = NULL;
    bool es = lang != LANG_EN;
    int64_t day = day_of(edition, course, date);
    if (!day) {
        snprintf(err, errlen,
                 es ? "el curso %s no tiene el día %s en la edición %s" : "%s has no day %s in %s",
                 course, date, edition);
        return false;
    }
    struct zoom_report r;
    if (!read_report(a, edition, date, tz, path, lang, &r, NULL, err, errlen))
        return false;
    if (!attendance_import_replace(day, file_name, tz, shape_name(r.shape), r.rows, r.nrows, by)) {
        snprintf(err, errlen, "%s",
                 es ? "la base de datos está ocupada; no se importó nada"
                    : "the database is busy; nothing was imported");
        return false;
    }
    *rows = r.nrows;
    if (note)
        *note = r.left_out;
    return true;
}

/* Appends one "label: value" line to *text. */
static bool add_line(arena *a, const char **text, lang_t lang, const char *key, const char *value)
{
    const char *t = arena_printf(a, "%s%s: %s\n", *text, tr(lang, key), value);
    if (!t)
        return false;
    *text = t;
    return true;
}

/* What importing the report at path for course's session of date would
 * store, as lines for a person in lang (`aula attendance import
 * --dry-run`): the shape and interface language recognised, encoding and
 * separator, date order, time range, rows, people, registered participants
 * matched by email, names without a registered email (with the closest
 * registered names), guests and what was left out.  Nothing is changed. */
bool attendance_preview_file(arena *a, const char *edition, const char *course, const char *date,
                             const char *tz, const char *path, lang_t lang, const char **text,
                             char *err, size_t errlen)
{
    *text = "";
    if (!day_of(edition, course, date)) {
        snprintf(err, errlen,
                 lang != LANG_EN ? "el curso %s no tiene el día %s en la edición %s"
                                 : "%s has no day %s in %s",
                 course, date, edition);
        return false;
    }
    struct zoom_report r;
    const char *etz;
    if (!read_report(a, edition, date, tz, path, lang, &r, &etz, err, errlen))
        return false;
    static const char *const shape_keys[] = {
        [ZOOM_PARTICIPANTS] = "zoom.shape.participants",
        [ZOOM_PARTICIPANTS_WITH_MEETING] = "zoom.shape.meeting",
        [ZOOM_WEBINAR] = "zoom.shape.webinar", [ZOOM_COMBINED] = "zoom.shape.combined"};
    static const char *const encodings[] = {[ZOOM_UTF8] = "UTF-8", [ZOOM_UTF16] = "UTF-16",
                                            [ZOOM_WINDOWS_1252] = "Windows-1252"};
    char key[32];
    snprintf(key, sizeof key, "zoom.lang.%s", r.interface_lang);
    const char *sep_key = r.separator == ';' ? "zoom.sep.semicolon"
                          : r.separator == '\t' ? "zoom.sep.tab" : "zoom.sep.comma";
    /* The time range, in the edition's zone. */
    time_t lo = 0, hi = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        if (!i || r.rows[i].join < lo)
            lo = r.rows[i].join;
        if (!i || r.rows[i].leave > hi)
            hi = r.rows[i].leave;
    }
    char range[120] = "-";
    struct tm tl, th;
    if (r.nrows && utc_to_local(etz, lo, &tl) && utc_to_local(etz, hi, &th))
        snprintf(range, sizeof range, "%04d-%02d-%02d %02d:%02d - %04d-%02d-%02d %02d:%02d (%s)",
                 tl.tm_year + 1900, tl.tm_mon + 1, tl.tm_mday, tl.tm_hour, tl.tm_min,
                 th.tm_year + 1900, th.tm_mon + 1, th.tm_mday, th.tm_hour, th.tm_min, etz);
    /* People: distinct emails, and which of them are registered. */
    json_t *people = course_participants(edition, course);
    json_t *emails = json_object(), *unmatched = json_object();
    size_t guests = 0, matched = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        const struct zoom_row *row = &r.rows[i];
        guests += row->guest;
        if (row->email && !json_object_get(emails, row->email)) {
            bool known = false;
            size_t k;
            json_t *p;
            json_array_foreach(people, k, p) {
                const char *e = json_string_value(json_object_get(p, "email"));
                known |= e && strcasecmp(e, row->email) == 0;
            }
            matched += known;
            json_object_set_new(emails, row->email, json_boolean(known));
            if (known)
                continue;
        } else if (row->email) {
            if (json_is_true(json_object_get(emails, row->email)))
                continue;
        }
        if (!row->waiting_room)
            json_object_set_new(unmatched, row->name, json_true());
    }
    bool ok = add_line(a, text, lang, "zoom.preview.title", tr(lang, "zoom.preview.nothing")) &&
              add_line(a, text, lang, "zoom.preview.shape", tr(lang, shape_keys[r.shape])) &&
              add_line(a, text, lang, "zoom.preview.language", tr(lang, key)) &&
              add_line(a, text, lang, "zoom.preview.encoding",
                       arena_printf(a, "%s, %s", encodings[r.encoding], tr(lang, sep_key))) &&
              add_line(a, text, lang, "zoom.preview.date_order",
                       tr(lang, r.day_first ? "zoom.order.day_first" : "zoom.order.month_first")) &&
              add_line(a, text, lang, "zoom.preview.range", range) &&
              add_line(a, text, lang, "zoom.preview.rows", arena_printf(a, "%zu", r.nrows)) &&
              add_line(a, text, lang, "zoom.preview.people",
                       arena_printf(a, "%zu", json_object_size(emails))) &&
              add_line(a, text, lang, "zoom.preview.matched",
                       arena_printf(a, "%zu / %zu", matched, json_array_size(people))) &&
              add_line(a, text, lang, "zoom.preview.guests", arena_printf(a, "%zu", guests));
    if (ok && r.skipped_staff)
        ok = add_line(a, text, lang, "zoom.preview.staff", arena_printf(a, "%zu", r.skipped_staff));
    if (ok && r.skipped_absent)
        ok = add_line(a, text, lang, "zoom.preview.absent", arena_printf(a, "%zu", r.skipped_absent));
    if (ok && r.left_out)
        ok = add_line(a, text, lang, "zoom.preview.warning", r.left_out);
    const char *name;
    json_t *v;
    json_object_foreach(unmatched, name, v) {
        /* The closest registered name, as the console suggests it. */
        int best = 0;
        char best_name[300] = "";
        size_t k;
        json_t *p;
        json_array_foreach(people, k, p) {
            char full[300];
            snprintf(full, sizeof full, "%s %s",
                     json_string_value(json_object_get(p, "given_names")),
                     json_string_value(json_object_get(p, "family_names")));
            int sc = name_similarity(name, full);
            if (sc > best) {
                best = sc;
                snprintf(best_name, sizeof best_name, "%s", full);
            }
        }
        if (ok)
            ok = add_line(a, text, lang, "zoom.preview.unmatched",
                          best >= 40 ? arena_printf(a, "%s (%s %s)", name,
                                                    tr(lang, "zoom.preview.perhaps"), best_name)
                                     : name);
    }
    json_decref(emails);
    json_decref(unmatched);
    json_decref(people);
    if (!ok) {
        snprintf(err, errlen, "%s", lang != LANG_EN ? "no hay memoria suficiente" : "out of memory");
        return false;
    }
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
    const char *note = NULL;
    const char *slug = req_param(req, "slug");
    if (!attendance_import_file(req->a, slug, course, form_str(f, "date"), form_str(f, "time_zone"),
                                req->upload.tmp_path, req->upload.file_name, req->user.email,
                                req->lang, &rows, &note, err, sizeof err)) {
        show_attendance(req, res, 422, course, NULL, arena_printf(req->a, "%s: %s",
                        tr(req->lang, "attendance.import_failed"), err));
        return;
    }
    if (note) {
        /* Saved, but part of the file was not: say so on the page itself. */
        show_attendance_info(req, res, 200, course, "attendance.saved", NULL, note);
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug, course));
}

static const struct field_spec match_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "name_key", .v = V_LINE, .required = true, .max_len = 250},
    /* 0: not a participant (a guest, an interpreter, staff). */
    {.name = "application", .v = V_INT, .required = true, .min = 0, .max = INT64_MAX},
};
const struct form_spec attendance_match_form = FORM_SPEC(match_fields);

static void back_to_attendance(request *req, response *res, const char *slug, const char *course)
{
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug,
                                        course));
}

/* Confirms who an unassigned row is, or that it is nobody to credit; the
 * decision holds for every import of the edition. */
void admin_attendance_match(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    if (!f->ok) {
        show_attendance(req, res, 422, *form_str(f, "course") ? form_str(f, "course") : NULL, NULL,
                        tr(req->lang, "attendance.choose_person"));
        return;
    }
    int64_t application = form_int(f, "application");
    /* Only a registered participant of this course can be chosen. */
    bool known = application == 0;
    json_t *people = course_participants(slug, form_str(f, "course"));
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (json_integer_value(json_object_get(p, "application_id")) == application)
            known = true;
    }
    if (!known) {
        show_attendance(req, res, 422, form_str(f, "course"), NULL,
                        tr(req->lang, "attendance.choose_person"));
        return;
    }
    if (!name_match_set(slug, form_str(f, "name_key"), application, req->user.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    back_to_attendance(req, res, slug, form_str(f, "course"));
}

static const struct field_spec unmatch_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "name_key", .v = V_LINE, .required = true, .max_len = 250},
};
const struct form_spec attendance_unmatch_form = FORM_SPEC(unmatch_fields);

/* Takes back a "not a participant" decision. */
void admin_attendance_unmatch(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    if (!f->ok) {
        res_error(req, res, 422, "error.form");
        return;
    }
    if (!name_match_forget(slug, form_str(f, "name_key"), req->user.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    back_to_attendance(req, res, slug, form_str(f, "course"));
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
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
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
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c)
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
