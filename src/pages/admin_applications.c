/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The review console: applications of an edition with filters, counts
 * against capacity, bulk decisions, a detail page and exports. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/escape.h"
#include "../docs/table_export.h"
#include "../domain/countries.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "../store/programme_store.h"
#include "../view/template.h"
#include "pages.h"
#include "words.h"
#include "programme_view.h"

static const char *const statuses[] = {"submitted", "accepted", "waitlisted", "rejected",
                                       "registered", "withdrawn", NULL};
static const char *const decisions[] = {"accepted", "waitlisted", "rejected", NULL};

static const struct field_spec filter_fields[] = {
    {.name = "status", .v = V_CHOICE, .choices = statuses},
    {.name = "course", .v = V_SLUG},
    {.name = "country", .v = V_LINE, .max_len = 2},
    {.name = "institution_type", .v = V_CHOICE, .choices = institution_types},
    {.name = "q", .v = V_LINE, .max_len = 100},
};
static const struct form_spec filter_form = FORM_SPEC(filter_fields);

static const struct field_spec decide_fields[] = {
    {.name = "enrolment", .v = V_INT, .required = true, .multiple = true, .min = 1, .max = INT64_MAX},
    {.name = "decision", .v = V_CHOICE, .required = true, .choices = decisions},
    {.name = "message", .v = V_TEXT, .max_len = 2000},
};
const struct form_spec decide_form = FORM_SPEC(decide_fields);

static const char *data_dir = ".";

void pages_configure(const char *dir)
{
    data_dir = dir;
}

const char *pages_data_dir(void)
{
    return data_dir;
}

static bool edition_exists(const char *slug)
{
    json_t *list = edition_list(true);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "slug")), slug) == 0)
            return true;
    }
    return false;
}

static const char *country_name(lang_t lang, const char *code)
{
    const struct country *c = country_by_code(code);
    return c ? (lang == LANG_EN ? c->name_en : c->name_es) : code;
}

/* Labels for the codes in each row, in the reader's language. */
static void label_rows(request *req, json_t *rows)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char key[64];
        snprintf(key, sizeof key, "status.%s", json_string_value(json_object_get(r, "status")));
        json_object_set_new(r, "status_label", json_string(tr(req->lang, key)));
        json_object_set_new(r, "country_name",
                            json_string(country_name(req->lang,
                                                     json_string_value(json_object_get(r, "country")))));
        snprintf(key, sizeof key, "institution_type.%s",
                 json_string_value(json_object_get(r, "institution_type")));
        json_object_set_new(r, "institution_type_label", json_string(tr(req->lang, key)));
        json_object_set_new(r, "address", json_string(address_label(
            req->lang, json_string_value(json_object_get(r, "form_of_address")),
            json_string_value(json_object_get(r, "gender")))));
    }
}

static json_t *filtered(request *req, struct form_values *q, struct application_filter *f)
{
    req_query_form(req, &filter_form, q);
    f->status = form_str(q, "status");
    f->course = form_str(q, "course");
    f->country = form_str(q, "country");
    f->institution_type = form_str(q, "institution_type");
    f->search = form_str(q, "q");
    json_t *rows = enrolments_list(req_param(req, "slug"), f);
    label_rows(req, rows);
    return rows;
}

static json_t *choice_list(request *req, const char *prefix, const char *const *values,
                           const char *selected)
{
    json_t *arr = json_array();
    for (const char *const *v = values; *v; v++) {
        char key[80];
        snprintf(key, sizeof key, "%s.%s", prefix, *v);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", *v, "label",
                                             tr(req->lang, key), "selected",
                                             selected && strcmp(selected, *v) == 0));
    }
    return arr;
}

static void show_list(request *req, response *res, int status, const char *notice_key,
                      json_t *problems)
{
    const char *slug = req_param(req, "slug");
    if (!edition_exists(slug)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    struct form_values q;
    struct application_filter f;
    json_t *rows = filtered(req, &q, &f);
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("review.title"));
    json_object_set_new(data, "slug", json_string(slug));
    json_object_set_new(data, "edition_slug", json_string(slug));
    json_object_set_new(data, "rows", rows);
    json_object_set_new(data, "count", json_integer((json_int_t)json_array_size(rows)));
    json_t *counts = course_counts(slug);
    json_t *course_opts = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(counts, i, c) {
        json_array_append_new(course_opts, json_pack("{s:O, s:O, s:b}", "value",
                                                     json_object_get(c, "slug"), "label",
                                                     json_object_get(c, "title"), "selected",
                                                     strcmp(f.course, json_string_value(json_object_get(c, "slug"))) == 0));
    }
    json_object_set_new(data, "counts", counts);
    json_object_set_new(data, "course_options", course_opts);
    json_object_set_new(data, "status_options", choice_list(req, "status", statuses, f.status));
    json_object_set_new(data, "type_options",
                        choice_list(req, "institution_type", institution_types, f.institution_type));
    json_object_set_new(data, "q", json_string(f.search));
    json_object_set_new(data, "country", json_string(f.country));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    /* The same filters carry over to the export links. */
    strbuf query;
    sb_init(&query, req->a);
    const char *names[] = {"status", "course", "country", "institution_type", "q"};
    for (size_t k = 0; k < 5; k++) {
        const char *v = form_str(&q, names[k]);
        if (*v) {
            sb_printf(&query, "%s%s=", query.len ? "&" : "?", names[k]);
            esc_url_component(&query, v);
        }
    }
    json_object_set_new(data, "query", json_string(sb_str(&query)));
    if (notice_key)
        json_object_set_new(data, "notice", bilingual_tr(notice_key));
    if (problems && json_array_size(problems))
        json_object_set_new(data, "problems", problems);
    res_page(req, res, status, "admin_applications", data);
    res->no_store = true;
}

void admin_applications(request *req, response *res)
{
    show_list(req, res, 200, req_query(req, "done") ? "review.done" : NULL, NULL);
}

void admin_application(request *req, response *res)
{
    const char *s = req_param(req, "id");
    char *end;
    long long id = strtoll(s, &end, 10);
    json_t *app = (*end || id <= 0) ? NULL : application_load(id);
    if (!app) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    json_object_set_new(app, "name", json_string(full_name(req->a, req->lang, app)));
    json_object_set_new(app, "country_name",
                        json_string(country_name(req->lang, json_string_value(json_object_get(app, "country")))));
    char key[80];
    snprintf(key, sizeof key, "institution_type.%s",
             json_string_value(json_object_get(app, "institution_type")));
    json_object_set_new(app, "institution_type_label", json_string(tr(req->lang, key)));
    snprintf(key, sizeof key, "gender.%s", json_string_value(json_object_get(app, "gender")));
    json_object_set_new(app, "gender_label", json_string(tr(req->lang, key)));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        snprintf(key, sizeof key, "status.%s", json_string_value(json_object_get(e, "status")));
        json_object_set_new(e, "status_label", json_string(tr(req->lang, key)));
    }
    json_object_set_new(app, "page_title", json_string(full_name(req->a, req->lang, app)));
    json_object_set_new(app, "csrf", json_string(csrf_token(req, res)));
    res_page(req, res, 200, "admin_application", app);
    res->no_store = true;
}

static const char *outcome_key(enum decision_outcome o)
{
    switch (o) {
    case DECISION_FULL: return "review.full";
    case DECISION_NOT_ALLOWED: return "review.not_allowed";
    case DECISION_NOT_FOUND: return "error.not_found";
    case DECISION_ERROR: return "error.busy";
    default: return NULL;
    }
}

/* Each selected enrolment is decided in its own transaction, so that one
 * course being full does not undo the others; the page lists what could
 * not be done and why. */
void admin_decide(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    if (!f->ok) {
        show_list(req, res, 422, "review.choose", NULL);
        return;
    }
    enrol_status to = enrol_status_parse(form_str(f, "decision"));
    const struct field_value *ids = form_get(f, "enrolment");
    json_t *problems = json_array();
    for (size_t i = 0; i < ids->nmany; i++) {
        int64_t id = strtoll(ids->many[i], NULL, 10);
        char eslug[128];
        if (!enrolment_edition(id, eslug, sizeof eslug) || strcmp(eslug, slug) != 0) {
            json_array_append_new(problems, json_pack("{s:I, s:o}", "id", (json_int_t)id,
                                                      "reason", bilingual_tr("error.not_found")));
            continue;
        }
        enum decision_outcome o = enrolment_decide(id, to, req->user.email,
                                                   form_str(f, "message"), aula_message, req);
        const char *key = outcome_key(o);
        if (key)
            json_array_append_new(problems, json_pack("{s:I, s:o}", "id", (json_int_t)id,
                                                      "reason", bilingual_tr(key)));
    }
    if (json_array_size(problems)) {
        show_list(req, res, 409, "review.partly", problems);
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/applications?done=1", slug));
}

/* The rows of the export, with the reader's labels. */
static void export_table(request *req, json_t **headers, json_t **rows)
{
    struct form_values q;
    struct application_filter f;
    json_t *list = filtered(req, &q, &f);
    static const char *const cols[] = {"export.id", "export.course", "export.status",
        "field.form_of_address", "field.given_names", "field.family_names", "field.work_email",
        "field.country", "field.institution_type", "field.institution", "field.position",
        "field.language", "field.gender", "field.phone", "export.applied_at"};
    *headers = json_array();
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        json_array_append_new(*headers, json_string(tr(req->lang, cols[i])));
    *rows = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
        int fb;
        char key[64];
        snprintf(key, sizeof key, "gender.%s", json_string_value(json_object_get(r, "gender")));
        json_array_append_new(*rows, json_pack(
            "[s, s, s, s, s, s, s, s, s, s, s, s, s, s?, s]",
            json_string_value(json_sprintf("%lld", (long long)json_integer_value(json_object_get(r, "application_id")))),
            bilingual_text(json_object_get(r, "course_title"), req->lang, &fb),
            json_string_value(json_object_get(r, "status_label")),
            json_string_value(json_object_get(r, "address")),
            json_string_value(json_object_get(r, "given_names")),
            json_string_value(json_object_get(r, "family_names")),
            json_string_value(json_object_get(r, "email")),
            json_string_value(json_object_get(r, "country_name")),
            json_string_value(json_object_get(r, "institution_type_label")),
            json_string_value(json_object_get(r, "institution")),
            json_string_value(json_object_get(r, "position")),
            json_string_value(json_object_get(r, "language")),
            tr(req->lang, key),
            json_string_value(json_object_get(r, "phone")),
            json_string_value(json_object_get(r, "created_at"))));
    }
}

void admin_applications_csv(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    if (!edition_exists(slug)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_t *headers, *rows;
    export_table(req, &headers, &rows);
    strbuf out;
    sb_init(&out, req->a);
    table_csv(&out, headers, rows);
    res_text(res, 200, "text/csv; charset=utf-8", sb_str(&out), out.len);
    res_header(res, "Content-Disposition",
               arena_printf(req->a, "attachment; filename=\"%s-applications.csv\"", slug));
    res->no_store = true;
    audit(req->user.email, "applications.export", slug, "csv");
}

/* Sends a table as an .xlsx download.  libxlsxwriter writes files: a
 * private temporary one in the data directory, read back and removed. */
void send_xlsx(request *req, response *res, const char *sheet, json_t *headers, json_t *rows,
               const char *filename)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/tmp", data_dir);
    mkdir(dir, 0700);
    unsigned char raw[8];
    char hex[17];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(path, sizeof path, "%s/export-%s.xlsx", dir, hex);
    bool ok = table_xlsx(path, sheet, headers, rows);
    char *bytes = NULL;
    size_t len = 0;
    FILE *fp = ok ? fopen(path, "rb") : NULL;
    if (fp) {
        struct stat st;
        if (fstat(fileno(fp), &st) == 0 && (bytes = arena_alloc(req->a, (size_t)st.st_size + 1)))
            len = fread(bytes, 1, (size_t)st.st_size, fp);
        fclose(fp);
    }
    unlink(path);
    if (!bytes || !len) {
        res_error(req, res, 500, "error.export");
        return;
    }
    res_text(res, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes,
             len);
    res_header(res, "Content-Disposition", content_disposition(req->a, "attachment", filename));
    res->no_store = true;
}

void admin_applications_xlsx(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    if (!edition_exists(slug)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_t *headers, *rows;
    export_table(req, &headers, &rows);
    send_xlsx(req, res, tr(req->lang, "review.sheet"), headers, rows,
              arena_printf(req->a, "%s-applications.xlsx", slug));
    res->no_store = true;
    audit(req->user.email, "applications.export", slug, "xlsx");
}

void admin_outbox(request *req, response *res)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("outbox.title"));
    json_t *messages = outbox_recent(200);
    size_t i;
    json_t *m;
    json_array_foreach(messages, i, m) {
        if (strcmp(json_string_value(json_object_get(m, "status")), "failed") == 0)
            json_object_set_new(m, "is_failed", json_true());
        json_object_set_new(m, "status_label",
                            word_of(req, "outbox.status", json_string_value(json_object_get(m, "status"))));
        json_object_set_new(m, "when", when_of(json_string_value(json_object_get(m, "created_at"))));
    }
    json_object_set_new(data, "messages", messages);
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    res_page(req, res, 200, "admin_outbox", data);
    res->no_store = true;
}
