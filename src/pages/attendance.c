/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Attendance in the console (imports with their preview, matching,
 * overrides, the grid and its exports) and the API.  Meetings and join
 * links are in meetings.c. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../app/attendance.h"
#include "../app/courses.h"
#include "../base/timeutil.h"
#include "../docs/table_export.h"
#include "../store/account_store.h"
#include "../store/attendance_store.h"
#include "../store/certificate_store.h"
#include "../store/programme_store.h"
#include "../view/template.h"
#include "page_ctx.h"
#include "../http/download.h"
#include "../app/app.h"
#include "attendance.h"
#include "attendance_view.h"
#include "render.h"
#include "programme_view.h"

/* The course of the query (?course=), or the edition's first. */
static const char *chosen_course(request *req, json_t *p)
{
    const char *want = req_query(req, "course");
    return programme_course(p, want) ? want : programme_first_course(p);
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
    json_object_set_new(grid, "courses", programme_course_choices(p, course));
    json_object_set_new(grid, "time_zone", json_object_get(json_object_get(p, "edition"), "time_zone")
                                               ? json_incref(json_object_get(json_object_get(p, "edition"), "time_zone"))
                                               : json_string("UTC"));
    json_object_set_new(grid, "page_title", bilingual_tr("attendance.title"));
    json_object_set_new(grid, "csrf", json_string(csrf_token(req, res)));
    /* Coordinators say who a Zoom row is; changing minutes by hand and
     * revoking join links stay with administrators, whose controls only
     * they see. */
    json_object_set_new(grid, "is_admin", json_boolean(req->user.role >= ROLE_ADMIN));
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

static void preview_sweep(arena *a);

void admin_attendance(request *req, response *res)
{
    /* Reports previewed but never confirmed go after an hour. */
    preview_sweep(req->a);
    show_attendance(req, res, 200, NULL, req_query(req, "done") ? "attendance.saved" : NULL, NULL);
}

/* Reports previewed but never confirmed go after an hour. */
enum { PREVIEW_SECONDS = 3600 };

/* ---- reports kept between the preview and the confirmation ----
 *
 * An uploaded report waits in DATA/tmp for its confirmation, at most an
 * hour, beside a small JSON file with what it was uploaded for.  The form
 * carries a random token; the files are named by a hash of that token and
 * the secret of the session (cookie or API token) that uploaded it, so the
 * token alone names nothing, a forged one names nothing, and another
 * person's (or another session's) confirmation finds nothing. */

static const char *preview_secret(request *req)
{
    if (req->via_token) {
        const char *auth = req_header(req, "Authorization");
        return auth && strncmp(auth, "Bearer ", 7) == 0 ? auth + 7 : NULL;
    }
    return req_cookie(req, "aula_session");
}

/* DATA/tmp/attendance-preview-HASH (without extension), or NULL. */
static const char *preview_base(request *req, const char *token)
{
    const char *secret = preview_secret(req);
    if (!secret || !*secret || !token || strlen(token) < 32)
        return NULL;
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"aula attendance preview\n", 24);
    crypto_hash_sha256_update(&st, (const unsigned char *)secret, strlen(secret));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)token, strlen(token));
    crypto_hash_sha256_final(&st, digest);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return arena_printf(req->a, "%s/tmp/attendance-preview-%s", app_config()->data_dir, hex);
}

/* Removes the kept reports older than an hour (those never confirmed). */
static void preview_sweep(arena *a)
{
    const char *dir = arena_printf(a, "%s/tmp", app_config()->data_dir);
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "attendance-preview-", 19) != 0)
            continue;
        const char *path = arena_printf(a, "%s/%s", dir, e->d_name);
        struct stat st;
        if (path && stat(path, &st) == 0 && now - st.st_mtime > PREVIEW_SECONDS)
            unlink(path);
    }
    closedir(d);
}

static void preview_remove(request *req, const char *base)
{
    unlink(arena_printf(req->a, "%s.csv", base));
    unlink(arena_printf(req->a, "%s.json", base));
}

/* Keeps the uploaded report for its confirmation; the token for the form
 * goes to token (44 bytes).  False when it cannot be kept. */
static bool preview_keep(request *req, const char *slug, const char *course, const char *date,
                         const char *tz, char *token, size_t n)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    const char *base = preview_base(req, token);
    if (!base)
        return false;
    mkdir(arena_printf(req->a, "%s/tmp", app_config()->data_dir), 0700);
    const char *csv = arena_printf(req->a, "%s.csv", base);
    const char *meta = arena_printf(req->a, "%s.json", base);
    if (!csv || !meta || rename(req->upload.tmp_path, csv) != 0)
        return false;
    json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "account", (json_int_t)req->user.id,
                          "edition", slug, "course", course, "date", date, "time_zone", tz,
                          "file_name", req->upload.file_name ? req->upload.file_name : "");
    int fd = open(meta, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool ok = m && f && json_dumpf(m, f, JSON_COMPACT) == 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    json_decref(m);
    if (!ok)
        preview_remove(req, base);
    return ok;
}

/* What a kept report was uploaded for, when token names one of this
 * session's, of this edition, less than an hour old; else NULL. */
static json_t *preview_find(request *req, const char *slug, const char *token, const char **base)
{
    preview_sweep(req->a);
    *base = preview_base(req, token);
    if (!*base)
        return NULL;
    const char *meta = arena_printf(req->a, "%s.json", *base);
    struct stat st;
    if (!meta || stat(meta, &st) != 0 || time(NULL) - st.st_mtime > PREVIEW_SECONDS)
        return NULL;
    json_error_t e;
    json_t *m = json_load_file(meta, 0, &e);
    const char *ed = json_string_value(json_object_get(m, "edition"));
    if (!m || json_integer_value(json_object_get(m, "account")) != req->user.id || !ed ||
        strcmp(ed, slug) != 0 || !json_string_value(json_object_get(m, "course")) ||
        !json_string_value(json_object_get(m, "date")) ||
        !json_string_value(json_object_get(m, "time_zone"))) {
        json_decref(m);
        return NULL;
    }
    return m;
}

static const struct field_spec import_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "date", .v = V_DATE, .required = true},
    {.name = "time_zone", .v = V_TZ, .required = true},
};
const struct form_spec attendance_import_form = FORM_SPEC(import_fields);

/* An upload is read and summarised, and kept for its confirmation: nothing
 * is imported yet. */
void admin_attendance_import(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *course = form_str(f, "course");
    if (!f->ok || !req->upload.present) {
        show_attendance(req, res, 422, *course ? course : NULL, NULL,
                        tr(req->lang, !req->upload.present ? "materials.no_file" : "error.form"));
        return;
    }
    const char *slug = req_param(req, "slug");
    struct app_ctx ctx = page_ctx(req);
    struct attendance_report in = {.edition = slug, .course = course, .date = form_str(f, "date"),
                                   .tz = form_str(f, "time_zone"), .path = req->upload.tmp_path,
                                   .file_name = req->upload.file_name};
    struct attendance_refusal why = {0};
    struct app_err err;
    json_t *summary = attendance_summary(&ctx, &in, &why, &err);
    if (!summary) {
        show_attendance(req, res, 422, course, NULL, arena_printf(req->a, "%s: %s",
                        tr(req->lang, "attendance.import_failed"), why.why));
        return;
    }
    preview_sweep(req->a);
    char token[64];
    if (!preview_keep(req, slug, course, form_str(f, "date"), form_str(f, "time_zone"), token,
                      sizeof token)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    json_t *p = programme_load(slug, true);
    json_t *title = json_object_get(programme_course(p, course), "title");
    json_object_set_new(summary, "edition", json_string(slug));
    json_object_set_new(summary, "course", json_string(course));
    json_object_set_new(summary, "course_title", title ? json_incref(title) : json_string(course));
    json_object_set_new(summary, "date", json_string(form_str(f, "date")));
    json_object_set_new(summary, "date_label", date_label(form_str(f, "date")));
    json_object_set_new(summary, "file_name", json_string(req->upload.file_name));
    json_object_set_new(summary, "preview", json_string(token));
    json_object_set_new(summary, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(summary, "page_title", bilingual_tr("attendance.preview_title"));
    res_page(req, res, 200, "admin_attendance_preview", summary);
    res->no_store = true;
}

static const char *const preview_decisions[] = {"import", "cancel", NULL};
static const struct field_spec confirm_fields[] = {
    {.name = "preview", .v = V_TOKEN, .required = true, .max_len = 64},
    {.name = "decision", .v = V_CHOICE, .required = true, .choices = preview_decisions},
};
const struct form_spec attendance_confirm_form = FORM_SPEC(confirm_fields);

/* The confirmation of a preview: the kept bytes are read again and
 * imported (or, when cancelled, dropped). */
void admin_attendance_confirm(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    const char *base = NULL;
    json_t *m = f->ok ? preview_find(req, slug, form_str(f, "preview"), &base) : NULL;
    if (!m) {
        show_attendance(req, res, f->ok ? 404 : 422, NULL, NULL,
                        tr(req->lang, f->ok ? "attendance.preview_gone" : "error.form"));
        return;
    }
    const char *course = arena_strdup(req->a, json_string_value(json_object_get(m, "course")));
    if (strcmp(form_str(f, "decision"), "cancel") == 0) {
        preview_remove(req, base);
        json_decref(m);
        res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s", slug,
                                            course));
        return;
    }
    struct app_ctx ctx = page_ctx(req);
    struct attendance_report in = {
        .edition = slug, .course = course,
        .date = arena_strdup(req->a, json_string_value(json_object_get(m, "date"))),
        .tz = arena_strdup(req->a, json_string_value(json_object_get(m, "time_zone"))),
        .path = arena_printf(req->a, "%s.csv", base),
        .file_name = arena_strdup(req->a, json_string_value(json_object_get(m, "file_name")))};
    struct attendance_refusal why = {0};
    struct app_err err;
    const char *note = NULL;
    json_decref(m);
    if (!attendance_import(&ctx, &in, NULL, &note, &why, &err)) {
        /* Kept (until it expires): a busy database may let a second try through. */
        show_attendance(req, res, 422, course, NULL, arena_printf(req->a, "%s: %s",
                        tr(req->lang, "attendance.import_failed"), why.why));
        return;
    }
    preview_remove(req, base);
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
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!attendance_match(&ctx, slug, form_str(f, "course"), form_str(f, "name_key"),
                          form_int(f, "application"), &err)) {
        if (err.kind == APP_INVALID)
            show_attendance(req, res, 422, form_str(f, "course"), NULL, tr(req->lang, err.key));
        else
            res_error(req, res, page_status_of(err.kind), err.key);
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
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!attendance_unmatch(&ctx, slug, form_str(f, "name_key"), &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
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
    char course[128];
    struct app_ctx ctx = page_ctx(req);
    struct app_err err = {.kind = APP_INVALID, .key = "attendance.override_invalid"};
    if (!f->ok || !attendance_override(&ctx, slug, form_int(f, "enrolment"), form_int(f, "day"),
                                       (int)form_int(f, "minutes"), form_str(f, "reason"),
                                       course, sizeof course, &err)) {
        if (err.kind == APP_INVALID)
            show_attendance(req, res, 422, *form_str(f, "course") ? form_str(f, "course") : NULL,
                            NULL, tr(req->lang, err.key));
        else
            res_error(req, res, page_status_of(err.kind), err.key);
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
    if (!send_xlsx(req, res, arena_printf(req->a, "%s/tmp", app_config()->data_dir),
                   tr(req->lang, "attendance.title"), headers, rows, "attendance.xlsx"))
        res_error(req, res, 500, "error.export");
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
    programme_foreach_course(p, i, c) {
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
