/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The public JSON API: the same data the pages render. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/applications.h"
#include "../store/application_store.h"
#include "../store/programme_store.h"
#include "../view/template.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "api.h"
#include "messages.h"
#include "render.h"
#include "programme_view.h"

void api_events(request *req, response *res)
{
    json_t *list = edition_list(false);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        json_object_set_new(e, "url", json_sprintf("%s/api/v1/events/%s", app_origin(),
                                                   json_string_value(json_object_get(e, "slug"))));
    }
    res_json(req, res, 200, list);
}

void api_event(request *req, response *res)
{
    json_t *p = programme_view(req_param(req, "slug"), 0);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    res_json(req, res, 200, p);
}

/* GET /api/v1/events/{slug}/applications: one entry per application with
 * its courses and statuses. */
void api_applications(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, false);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_t *rows = enrolments_list(slug, NULL);
    json_t *by_app = json_object(), *list = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char key[32];
        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(r, "application_id")));
        json_t *a = json_object_get(by_app, key);
        if (!a) {
            a = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:[]}",
                          "id", json_object_get(r, "application_id"),
                          "email", json_object_get(r, "email"),
                          "form_of_address", json_object_get(r, "form_of_address"),
                          "given_names", json_object_get(r, "given_names"),
                          "family_names", json_object_get(r, "family_names"),
                          "country", json_object_get(r, "country"),
                          "institution_type", json_object_get(r, "institution_type"),
                          "institution", json_object_get(r, "institution"),
                          "position", json_object_get(r, "position"),
                          "language", json_object_get(r, "language"),
                          "created_at", json_object_get(r, "created_at"), "courses");
            json_object_set_new(by_app, key, a);
            json_array_append(list, a);
        }
        json_array_append_new(json_object_get(a, "courses"),
                              json_pack("{s:O, s:O, s:O}", "enrolment", json_object_get(r, "id"),
                                        "course", json_object_get(r, "course"), "status",
                                        json_object_get(r, "status")));
    }
    res_json(req, res, 200, list);
    res->no_store = true;
}

/* POST /api/v1/applications/{id}/decision {"status": "accepted", "course":
 * optional slug, "message": optional note}: the console's decision, for
 * every course of the application or just the one named. */
void api_decision(request *req, response *res)
{
    const char *s = req_param(req, "id");
    char *end;
    long long id = strtoll(s, &end, 10);
    json_t *app = (*end || id <= 0) ? NULL : application_load(id);
    if (!app) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    json_error_t jerr;
    json_t *body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    const char *status = json_string_value(json_object_get(body, "status"));
    const char *course = json_string_value(json_object_get(body, "course"));
    const char *note = json_string_value(json_object_get(body, "message"));
    enrol_status to = enrol_status_parse(status);
    if (!json_is_object(body) || (to != ENROL_ACCEPTED && to != ENROL_WAITLISTED &&
                                  to != ENROL_REJECTED) ||
        (note && json_string_length(json_object_get(body, "message")) > 2000)) {
        res_error(req, res, 400, "api.bad_decision");
        return;
    }
    /* The courses named (all of the application's by default), decided
     * by the console's operation, whatever state they are in now. */
    json_t *enrolments = json_object_get(app, "enrolments");
    size_t cap = json_array_size(enrolments) ? json_array_size(enrolments) : 1;
    struct decision_row *rows = arena_alloc(req->a, cap * sizeof *rows);
    const char **slugs = arena_alloc(req->a, cap * sizeof *slugs);
    enum decision_outcome *outcomes = arena_alloc(req->a, cap * sizeof *outcomes);
    if (!rows || !slugs || !outcomes) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    size_t n = 0, i;
    json_t *e;
    json_array_foreach(enrolments, i, e) {
        const char *slug = json_string_value(json_object_get(e, "course"));
        if (course && strcmp(course, slug) != 0)
            continue;
        slugs[n] = slug;
        rows[n++] = (struct decision_row){json_integer_value(json_object_get(e, "id")), NULL};
    }
    if (!n) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!applications_decide(&ctx, NULL, rows, n, to, note, aula_message, req, outcomes, NULL,
                             &err)) {
        res_error(req, res, err.kind == APP_INVALID ? 400 : page_status_of(err.kind),
                  err.kind == APP_INVALID ? "api.bad_decision" : err.key);
        return;
    }
    json_t *results = json_array();
    int status_code = 200;
    for (size_t k = 0; k < n; k++) {
        enum decision_outcome o = outcomes[k];
        if (o == DECISION_FULL || o == DECISION_NOT_ALLOWED)
            status_code = 409;
        else if (o == DECISION_ERROR && status_code == 200)
            status_code = 503;
        json_t *r = json_pack("{s:s, s:s}", "course", slugs[k], "result", decision_outcome_name(o));
        if (o == DECISION_FULL)
            json_object_set_new(r, "message", json_string(tr(req->lang, "review.full")));
        json_array_append_new(results, r);
    }
    res_json(req, res, status_code, json_pack("{s:I, s:o}", "application", (json_int_t)id,
                                              "results", results));
    res->no_store = true;
}
