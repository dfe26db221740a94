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

#include "../app/applications.h"
#include "../base/escape.h"
#include "../docs/table_export.h"
#include "../base/timeutil.h"
#include "../base/tzplaces.h"
#include "../domain/countries.h"
#include "../domain/enrolment.h"
#include "../domain/name_match.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "../store/programme_store.h"
#include "../view/template.h"
#include "page_ctx.h"
#include "../http/download.h"
#include "../domain/address.h"
#include "../app/app.h"
#include "admin_applications.h"
#include "bulk_confirm.h"
#include "messages.h"
#include "render.h"
#include "words.h"
#include "programme_view.h"

static const char *const statuses[] = {"submitted", "accepted", "waitlisted", "rejected",
                                       "registered", "withdrawn", NULL};
static const char *const decisions[] = {"accepted", "waitlisted", "rejected", NULL};

/* Columns the list sorts by (the names of the sort links). */
static const char *const sort_keys[] = {"name", "course", "status", "country", "institution",
                                        "applied", NULL};
static const char *const sort_dirs[] = {"asc", "desc", NULL};

static const struct field_spec filter_fields[] = {
    {.name = "status", .v = V_CHOICE, .choices = statuses},
    {.name = "course", .v = V_SLUG},
    {.name = "country", .v = V_LINE, .max_len = 2},
    {.name = "institution_type", .v = V_CHOICE, .choices = institution_types},
    {.name = "q", .v = V_LINE, .max_len = 100},
    {.name = "sort", .v = V_CHOICE, .choices = sort_keys},
    {.name = "dir", .v = V_CHOICE, .choices = sort_dirs},
};
static const struct form_spec filter_form = FORM_SPEC(filter_fields);

/* The list's form names the rows (enrolment); the confirmation carries
 * each row as it was shown ("ID:version") and its one-time token. */
static const struct field_spec decide_fields[] = {
    {.name = "enrolment", .v = V_INT, .multiple = true, .min = 1, .max = INT64_MAX},
    {.name = "decision", .v = V_CHOICE, .required = true, .choices = decisions},
    {.name = "message", .v = V_TEXT, .max_len = 2000},
    {.name = "row", .v = V_LINE, .multiple = true, .max_len = 120},
    {.name = "token", .v = V_TOKEN, .max_len = 64},
};
const struct form_spec decide_form = FORM_SPEC(decide_fields);

/* The edition's row from the list (with its time_zone), NULL when absent. */
static json_t *edition_of(const char *slug)
{
    json_t *list = edition_list(true);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "slug")), slug) == 0)
            return e;
    }
    return NULL;
}

static bool edition_exists(const char *slug)
{
    return edition_of(slug) != NULL;
}

/* "2022-02-14 09:30" in the edition's zone, from a stored UTC time. */
static const char *local_time(request *req, const char *tz, const char *utc)
{
    time_t t;
    struct tm tm;
    if (!utc || !tz || !parse_utc_iso(utc, &t) || !utc_to_local(tz, t, &tm))
        return utc ? utc : "";
    return arena_printf(req->a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min);
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

/* Sorting: a folded key per row (so that "Álvarez" sorts with the A's),
 * the application's order breaking ties. */
struct sort_item {
    json_t *row;
    char key[256];
    size_t pos;
    bool desc;
};

static int compare_items(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (x->desc)
        c = -c;
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

static json_t *sorted(request *req, json_t *rows, const char *by, bool desc)
{
    size_t n = json_array_size(rows);
    if (!*by || n < 2)
        return rows;
    struct sort_item *items = arena_alloc(req->a, n * sizeof *items);
    if (!items)
        return rows;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char raw[512];
        int fb;
        if (strcmp(by, "name") == 0)
            snprintf(raw, sizeof raw, "%s %s", json_string_value(json_object_get(r, "family_names")),
                     json_string_value(json_object_get(r, "given_names")));
        else if (strcmp(by, "course") == 0)
            snprintf(raw, sizeof raw, "%s",
                     bilingual_text(json_object_get(r, "course_title"), req->lang, &fb));
        else if (strcmp(by, "status") == 0)
            snprintf(raw, sizeof raw, "%s", json_string_value(json_object_get(r, "status_label")));
        else if (strcmp(by, "country") == 0)
            snprintf(raw, sizeof raw, "%s", json_string_value(json_object_get(r, "country_name")));
        else if (strcmp(by, "institution") == 0)
            snprintf(raw, sizeof raw, "%s", json_string_value(json_object_get(r, "institution")));
        else
            snprintf(raw, sizeof raw, "%s", json_string_value(json_object_get(r, "created_at")));
        items[i].row = r;
        items[i].pos = i;
        items[i].desc = desc;
        name_normalise(raw, items[i].key, sizeof items[i].key);
    }
    qsort(items, n, sizeof *items, compare_items);
    json_t *out = json_array();
    for (i = 0; i < n; i++)
        json_array_append(out, items[i].row);
    return out;
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
    json_t *e = edition_of(req_param(req, "slug"));
    const char *tz = e ? json_string_value(json_object_get(e, "time_zone")) : NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        json_object_set_new(r, "created_local",
                            json_string(local_time(req, tz, json_string_value(json_object_get(r, "created_at")))));
        if (json_object_get(r, "registered_at"))
            json_object_set_new(r, "registered_local", json_string(local_time(req, tz,
                json_string_value(json_object_get(r, "registered_at")))));
    }
    return sorted(req, rows, form_str(q, "sort"), strcmp(form_str(q, "dir"), "desc") == 0);
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

static const char *list_query(request *req);

/* The countries of the edition's candidates, by name in the reader's
 * language: the filter offers names, never codes. */
static json_t *country_options(request *req, const char *slug, const char *selected)
{
    json_t *seen = json_object(), *all = enrolments_list(slug, NULL);
    size_t i;
    json_t *r;
    json_array_foreach(all, i, r)
        json_object_set_new(seen, json_string_value(json_object_get(r, "country")), json_true());
    size_t n = json_object_size(seen), k = 0;
    struct sort_item *items = arena_alloc(req->a, (n ? n : 1) * sizeof *items);
    json_t *out = json_array();
    if (!items)
        return out;
    const char *code;
    json_t *v;
    json_object_foreach(seen, code, v) {
        const char *name = country_name(req->lang, code);
        items[k].row = json_pack("{s:s, s:s, s:b}", "value", code, "label", name, "selected",
                                 selected && strcmp(selected, code) == 0);
        items[k].pos = k;
        items[k].desc = false;
        name_normalise(name, items[k].key, sizeof items[k].key);
        k++;
    }
    qsort(items, n, sizeof *items, compare_items);
    for (k = 0; k < n; k++)
        json_array_append_new(out, items[k].row);
    return out;
}

/* The table's headers: each a link sorting by its column, ascending, or
 * descending when it is the current ascending one. */
static json_t *sort_columns(request *req, const char *filters, const char *by, const char *dir)
{
    static const char *const labels[] = {"review.candidate", "me.course", "me.status",
                                         "field.country", "field.institution",
                                         "export.applied_at"};
    json_t *out = json_array();
    for (size_t k = 0; sort_keys[k]; k++) {
        bool current = strcmp(by, sort_keys[k]) == 0;
        bool desc = current && strcmp(dir, "desc") == 0;
        const char *next = current && !desc ? "desc" : "asc";
        json_array_append_new(out, json_pack("{s:s, s:s, s:s?}",
            "label", tr(req->lang, labels[k]),
            "href", arena_printf(req->a, "%s%ssort=%s&dir=%s", *filters ? filters : "",
                                 *filters ? "&" : "?", sort_keys[k], next),
            "aria_sort", current ? (desc ? "descending" : "ascending") : NULL));
    }
    return out;
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
    json_object_set_new(data, "country_options", country_options(req, slug, f.country));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(data, "wide", json_true());
    /* The same filters carry over to the export links, the sort links and
     * the decision form (which comes back to them). */
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
    json_object_set_new(data, "list_query", json_string(list_query(req)));
    json_object_set_new(data, "columns", sort_columns(req, sb_str(&query), form_str(&q, "sort"),
                                                      form_str(&q, "dir")));
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

/* A participant's time zone as the place they chose it by ("Venezuela —
 * Caracas", as on the registration form), not its tz database name. */
static const char *zone_place(request *req, const char *zone)
{
    if (!zone || !*zone)
        return "";
    size_t n;
    const struct tz_place *pl = tz_places(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(pl[i].zone, zone) != 0)
            continue;
        const char *name = country_name(req->lang, pl[i].country);
        const char *label = arena_printf(req->a, "%s — %s", name, pl[i].city);
        return label ? label : pl[i].city;
    }
    return zone;
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
    /* The applicant's language as a word of the reader's ("Spanish"), not its code. */
    json_object_set_new(app, "language_label",
                        word_of(req, "lang", json_string_value(json_object_get(app, "language"))));
    json_object_set_new(app, "time_zone_place", json_string(zone_place(
        req, json_string_value(json_object_get(app, "time_zone")))));
    /* Times in the edition's zone. */
    json_t *ed = edition_of(json_string_value(json_object_get(app, "edition")));
    const char *tz = ed ? json_string_value(json_object_get(ed, "time_zone")) : NULL;
    json_object_set_new(app, "created_local", json_string(local_time(req, tz,
        json_string_value(json_object_get(app, "created_at")))));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        snprintf(key, sizeof key, "status.%s", json_string_value(json_object_get(e, "status")));
        json_object_set_new(e, "status_label", json_string(tr(req->lang, key)));
        json_object_set_new(e, "status_local", json_string(local_time(req, tz,
            json_string_value(json_object_get(e, "status_at")))));
    }
    json_object_set_new(app, "page_title", json_string(full_name(req->a, req->lang, app)));
    json_object_set_new(app, "csrf", json_string(csrf_token(req, res)));
    res_page(req, res, 200, "admin_application", app);
    res->no_store = true;
}

/* The filters of the list, as a query string ("" or "?status=..."), so
 * that a decision returns to the same rows. */
static const char *list_query(request *req)
{
    struct form_values q;
    req_query_form(req, &filter_form, &q);
    strbuf query;
    sb_init(&query, req->a);
    const char *names[] = {"status", "course", "country", "institution_type", "q", "sort", "dir"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const char *v = form_str(&q, names[k]);
        if (*v) {
            sb_printf(&query, "%s%s=", query.len ? "&" : "?", names[k]);
            esc_url_component(&query, v);
        }
    }
    return sb_str(&query);
}

static json_t *find_row(json_t *rows, int64_t id)
{
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        if (json_integer_value(json_object_get(r, "id")) == id)
            return r;
    }
    return NULL;
}

static const char *row_name(request *req, json_t *r)
{
    return arena_printf(req->a, "%s %s", json_string_value(json_object_get(r, "given_names")),
                        json_string_value(json_object_get(r, "family_names")));
}

/* The first step of a bulk decision: what it would do (rows changed, rows
 * left as they are and why, people written to, one message in each
 * language), and the confirmation.  Nothing is changed yet. */
static void decide_preview(request *req, response *res, const char *slug, int status,
                           const char *notice_key)
{
    const struct form_values *f = &req->form;
    const struct field_value *ids = form_get(f, "enrolment");
    const struct field_value *rows_in = form_get(f, "row");
    enrol_status to = enrol_status_parse(form_str(f, "decision"));
    const char *query = list_query(req);
    const char *list_url = arena_printf(req->a, "/admin/events/%s/applications%s", slug, query);
    json_t *page = confirm_page(req, res, "bulk.decide_title", list_url, list_url,
                                "bulk.decide_confirm");
    char dkey[64];
    snprintf(dkey, sizeof dkey, "status.%s", form_str(f, "decision"));
    json_object_set_new(page, "about", bilingual_tr(dkey));
    json_object_set_new(page, "about_label", json_string(tr(req->lang, "bulk.decision")));
    confirm_hidden(page, "decision", form_str(f, "decision"));
    confirm_hidden(page, "message", form_str(f, "message"));
    if (notice_key)
        json_object_set_new(page, "notice", bilingual_tr(notice_key));
    json_t *all = enrolments_list(slug, NULL);
    /* Places taken per course, as the decisions before this one leave them. */
    json_t *taken = json_object(), *capacity = json_object();
    json_t *counts = course_counts(slug);
    size_t i;
    json_t *c;
    json_array_foreach(counts, i, c) {
        const char *cs = json_string_value(json_object_get(c, "slug"));
        json_object_set(taken, cs, json_object_get(c, "taken"));
        json_object_set(capacity, cs, json_object_get(c, "capacity"));
    }
    int64_t sample[2] = {0, 0}, first = 0;
    const char *sample_course[2] = {NULL, NULL}, *first_course = NULL;
    size_t n = ids && ids->present ? ids->nmany : (rows_in ? rows_in->nmany : 0);
    for (size_t k = 0; k < n; k++) {
        const char *v = ids && ids->present ? ids->many[k] : rows_in->many[k];
        int64_t id = strtoll(v, NULL, 10);
        json_t *r = id > 0 ? find_row(all, id) : NULL;
        if (!r) {
            confirm_skipped(page, arena_printf(req->a, "#%lld", (long long)id),
                            bilingual_tr("error.not_found"));
            continue;
        }
        const char *cs = json_string_value(json_object_get(r, "course"));
        enrol_status from = enrol_status_parse(json_string_value(json_object_get(r, "status")));
        int t = (int)json_integer_value(json_object_get(taken, cs));
        decide_result d = enrol_decide(from, to, t,
                                       (int)json_integer_value(json_object_get(capacity, cs)));
        const char *why = d == DECIDE_SAME ? "bulk.unchanged" : d == DECIDE_FULL ? "review.full"
                        : d == DECIDE_NOT_ALLOWED ? "review.not_allowed" : NULL;
        if (why) {
            confirm_skipped(page, row_name(req, r), bilingual_tr(why));
            continue;
        }
        t += (enrol_takes_place(to) ? 1 : 0) - (enrol_takes_place(from) ? 1 : 0);
        json_object_set_new(taken, cs, json_integer(t));
        const char *lang = json_string_value(json_object_get(r, "language"));
        confirm_recipient(page, row_name(req, r), json_string_value(json_object_get(r, "email")),
                          lang);
        confirm_hidden(page, "row", arena_printf(req->a, "%lld:%s", (long long)id,
                                                 json_string_value(json_object_get(r, "version"))));
        int64_t app = json_integer_value(json_object_get(r, "application_id"));
        int l = lang && strcmp(lang, "en") == 0 ? 1 : 0;
        if (!sample[l]) {
            sample[l] = app;
            sample_course[l] = cs;
        }
        if (!first) {
            first = app;
            first_course = cs;
        }
    }
    /* One message in each language, drawn as it will be queued
     * (confirm_show keeps only the languages someone selected reads). */
    for (int l = 0; l < 2 && first; l++) {
        struct message m = {0};
        json_t *extra = json_pack("{s:s, s:s?}", "course", sample[l] ? sample_course[l] : first_course,
                                  "note", *form_str(f, "message") ? form_str(f, "message") : NULL);
        if (aula_message_preview(req, arena_printf(req->a, "decision.%s", form_str(f, "decision")),
                                 sample[l] ? sample[l] : first, extra, l ? LANG_EN : LANG_ES, &m))
            confirm_preview(req, page, l ? LANG_EN : LANG_ES, &m);
    }
    confirm_show(req, res, status, page, "bulk.decide_nothing");
}

/* POST .../applications: without a token, the rows chosen in the list are
 * previewed (decide_preview); with the confirmation's token, each row is
 * decided in its own transaction, so that one course being full does not
 * undo the others, and only while it is as the preview showed it: a row a
 * colleague changed since is left alone and named.  The list comes back
 * with its filters. */
void admin_decide(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    if (!edition_exists(slug)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    const struct field_value *ids = form_get(f, "enrolment");
    const struct field_value *rows = form_get(f, "row");
    const char *token = form_str(f, "token");
    /* A message too long says so, rather than asking for rows. */
    const char *message_error = form_get(f, "message")->error;
    if (!f->ok || (!*token && !ids->present) || (*token && !rows->present)) {
        show_list(req, res, 422, message_error ? message_error : "review.choose", NULL);
        return;
    }
    if (!*token) {
        decide_preview(req, res, slug, 200, NULL);
        return;
    }
    const char *query = list_query(req);
    const char *done_url = arena_printf(req->a, "/admin/events/%s/applications%s%sdone=1", slug,
                                        query, *query ? "&" : "?");
    if (!bulk_once(req, res, "decisions", token, done_url))
        return;
    enrol_status to = enrol_status_parse(form_str(f, "decision"));
    json_t *problems = json_array();
    /* Enrolments, each as the page showed it ("id:version"); the
     * operation decides the courses of one candidate together, so that
     * they get one message naming them all. */
    size_t cap = rows->nmany ? rows->nmany : 1;
    struct decision_row *chosen = arena_alloc(req->a, cap * sizeof *chosen);
    enum decision_outcome *outcomes = arena_alloc(req->a, cap * sizeof *outcomes);
    if (!chosen || !outcomes) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    for (size_t i = 0; i < rows->nmany; i++) {
        const char *colon = strchr(rows->many[i], ':');
        /* A row without its version is not found (0 is never an id). */
        chosen[i] = (struct decision_row){colon ? strtoll(rows->many[i], NULL, 10) : 0,
                                          colon ? colon + 1 : NULL};
    }
    int decided = 0;
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!applications_decide(&ctx, slug, chosen, rows->nmany, to, form_str(f, "message"),
                             aula_message, req, outcomes, &decided, &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    /* Rows not of the edition first, as they were refused before any was tried. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < rows->nmany; i++) {
            const char *key = decision_outcome_key(outcomes[i]);
            bool not_here = outcomes[i] == DECISION_NOT_FOUND;
            if (key && not_here == (pass == 0))
                json_array_append_new(problems, json_pack("{s:I, s:o}", "id",
                    (json_int_t)strtoll(rows->many[i], NULL, 10), "reason", bilingual_tr(key)));
        }
    }
    audit(req->user.email, "decisions.bulk", slug,
          /* Numbers only: each decision has its own entry, in words. */
          arena_printf(req->a, "%d / %zu", decided, (size_t)decided + json_array_size(problems)));
    if (json_array_size(problems)) {
        bulk_done(token, arena_printf(req->a, "/admin/events/%s/applications%s", slug, query));
        show_list(req, res, 409, "review.partly", problems);
        return;
    }
    bulk_done(token, done_url);
    res_redirect(req, res, done_url);
}

/* The rows of the export, with the reader's labels: every field of the
 * application (motivation, registration details too), times in the
 * edition's zone. */
static void export_table(request *req, json_t **headers, json_t **rows)
{
    struct form_values q;
    struct application_filter f;
    json_t *list = filtered(req, &q, &f);
    static const char *const cols[] = {"export.id", "export.course", "export.status",
        "export.status_at", "field.form_of_address", "field.given_names", "field.family_names",
        "field.work_email", "field.country", "field.institution_type", "field.institution",
        "field.position", "field.language", "field.gender", "field.phone", "field.motivation",
        "field.city", "field.time_zone", "field.accessibility", "register.recording",
        "export.registered_at", "export.applied_at"};
    *headers = json_array();
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        json_array_append_new(*headers, json_string(tr(req->lang, cols[i])));
    *rows = json_array();
    json_t *e = edition_of(req_param(req, "slug"));
    const char *tz = e ? json_string_value(json_object_get(e, "time_zone")) : NULL;
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
        int fb;
        char key[64];
        snprintf(key, sizeof key, "gender.%s", json_string_value(json_object_get(r, "gender")));
        const char *lang = json_string_value(json_object_get(r, "language"));
        json_t *consent = json_object_get(r, "recording_consent");
        json_t *row = json_array();
        const char *cells[] = {
            arena_printf(req->a, "%lld", (long long)json_integer_value(json_object_get(r, "application_id"))),
            bilingual_text(json_object_get(r, "course_title"), req->lang, &fb),
            json_string_value(json_object_get(r, "status_label")),
            local_time(req, tz, json_string_value(json_object_get(r, "status_at"))),
            json_string_value(json_object_get(r, "address")),
            json_string_value(json_object_get(r, "given_names")),
            json_string_value(json_object_get(r, "family_names")),
            json_string_value(json_object_get(r, "email")),
            json_string_value(json_object_get(r, "country_name")),
            json_string_value(json_object_get(r, "institution_type_label")),
            json_string_value(json_object_get(r, "institution")),
            json_string_value(json_object_get(r, "position")),
            tr(req->lang, lang && strcmp(lang, "en") == 0 ? "export.lang_en" : "export.lang_es"),
            tr(req->lang, key),
            json_string_value(json_object_get(r, "phone")),
            json_string_value(json_object_get(r, "motivation")),
            json_string_value(json_object_get(r, "city")),
            json_string_value(json_object_get(r, "time_zone")),
            json_string_value(json_object_get(r, "accessibility")),
            consent ? tr(req->lang, json_is_true(consent) ? "attendance.yes" : "attendance.no") : NULL,
            json_string_value(json_object_get(r, "registered_local")),
            json_string_value(json_object_get(r, "created_local")),
        };
        for (size_t k = 0; k < sizeof cells / sizeof cells[0]; k++)
            json_array_append_new(row, cells[k] ? json_string(cells[k]) : json_null());
        json_array_append_new(*rows, row);
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
    /* ?sep=semicolon: for spreadsheets set to Spanish, where ',' is the
     * decimal mark and ';' separates cells. */
    const char *sep = req_query(req, "sep");
    table_csv_sep(&out, headers, rows, sep && strcmp(sep, "semicolon") == 0 ? ';' : ',');
    res_text(res, 200, "text/csv; charset=utf-8", sb_str(&out), out.len);
    res_header(res, "Content-Disposition",
               arena_printf(req->a, "attachment; filename=\"%s-applications.csv\"", slug));
    res->no_store = true;
    audit(req->user.email, "applications.export", slug, "csv");
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
    if (!send_xlsx(req, res, arena_printf(req->a, "%s/tmp", app_config()->data_dir),
                   tr(req->lang, "review.sheet"), headers, rows,
                   arena_printf(req->a, "%s-applications.xlsx", slug))) {
        res_error(req, res, 500, "error.export");
        return;
    }
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
