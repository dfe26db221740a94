/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation in the console: the courses' questionnaires, settings and
 * questions, and reminders by hand (the mailings themselves are operations:
 * app/evaluation.c; results and exports: evaluation_results.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app/evaluation.h"
#include "../base/timeutil.h"
#include "../domain/evaluation.h"
#include "../store/account_store.h"
#include "../store/evaluation_store.h"
#include "../view/template.h"
#include "../app/messages.h"
#include "evaluation_pages.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "render.h"
#include "programme_view.h"

void admin_evaluations(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    json_t *list = eval_edition_list(req, res);
    if (!list)
        return;
    size_t i;
    json_t *q;
    bool edition_wide = false;
    json_array_foreach(list, i, q) {
        eval_rate(req, q, q);
        edition_wide |= json_is_true(json_object_get(q, "edition_wide"));
        json_object_set_new(q, "base", json_string(eval_admin_path(req, q)));
        json_object_del(q, "definition");
        json_object_set_new(q, "opens_label", json_string(evaluation_local_label(req->a, q, "opens_at")));
        json_object_set_new(q, "closes_label", json_string(evaluation_local_label(req->a, q, "closes_at")));
    }
    json_t *data = json_pack("{s:o, s:s, s:o, s:b, s:s}", "page_title",
                             bilingual_tr("eval.admin_title"), "slug", slug, "courses", list,
                             "has_edition_wide", edition_wide, "csrf", csrf_token(req, res));
    res_page(req, res, 200, "admin_evaluations", data);
    res->no_store = true;
}

static const char *local_input(request *req, json_t *q, const char *utc_key)
{
    time_t t;
    struct tm tm;
    if (!parse_utc_iso(json_string_value(json_object_get(q, utc_key)), &t) ||
        !utc_to_local(json_string_value(json_object_get(q, "time_zone")), t, &tm))
        return "";
    return arena_printf(req->a, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min);
}

static void show_admin(request *req, response *res, int status, json_t *q, const char *problem,
                       const char *notice, const char *def_text)
{
    json_t *responses = evaluation_responses(json_integer_value(json_object_get(q, "id")));
    json_t *stats = eval_stats_of(q, responses);
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("eval.admin_title"));
    json_object_set_new(data, "slug", json_string(req_param(req, "slug")));
    json_object_set_new(data, "base", json_string(eval_admin_path(req, q)));
    json_object_set(data, "course_title", json_object_get(q, "course_title"));
    eval_rate(req, q, data);
    json_object_set_new(data, "questions", json_incref(eval_results_view(req, q, stats, responses)));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    bool has = json_integer_value(json_object_get(q, "respondents")) > 0;
    char *def = json_dumps(json_object_get(q, "definition"), JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_object_set_new(data, "settings", json_pack("{s:s, s:s, s:b, s:s, s:s, s:s, s:s, s:b, s:b, s:s}",
        "opens", local_input(req, q, "opens_at"), "closes", local_input(req, q, "closes_at"),
        "anonymous", json_is_true(json_object_get(q, "anonymous")), "audience",
        json_string_value(json_object_get(q, "audience")), "reminder_days",
        json_string_value(json_object_get(q, "reminder_days")), "low_mean",
        arena_printf(req->a, "%.2f", json_number_value(json_object_get(q, "low_mean"))), "low_min",
        arena_printf(req->a, "%lld", (long long)json_integer_value(json_object_get(q, "low_mean_min_answers"))),
        "locked", has, "attended", strcmp(json_string_value(json_object_get(q, "audience")), "attended") == 0,
        "definition", def_text ? def_text : def ? def : "{}"));
    json_object_set_new(json_object_get(data, "settings"), "allow_edit",
                        json_boolean(json_is_true(json_object_get(q, "allow_edit"))));
    json_object_set_new(data, "time_zone", json_string(json_string_value(json_object_get(q, "time_zone"))));
    /* A named questionnaire is broken down by any dimension; an anonymous
     * one only by the one whose groups its answers carry. */
    const char *by = req_query(req, "by");
    static const char *const dims[] = {"country", "gender", "institution_type"};
    const char *anon_dim = json_is_true(json_object_get(q, "anonymous"))
                               ? json_string_value(json_object_get(q, "breakdown")) : NULL;
    json_t *links = json_array();
    for (size_t i = 0; i < sizeof dims / sizeof *dims; i++) {
        if (anon_dim && strcmp(anon_dim, dims[i]) != 0)
            continue;
        json_array_append_new(links, json_pack("{s:s, s:o, s:b}", "by", dims[i], "label",
            bilingual_tr(arena_printf(req->a, "field.%s", dims[i])), "sep", json_array_size(links) > 0));
        if (by && strcmp(by, dims[i]) == 0)
            json_object_set_new(data, "breakdown", eval_breakdown(req, q, by));
    }
    if (json_array_size(links) == 0)
        json_object_set_new(data, "no_breakdown", json_true());
    else if (anon_dim)
        json_object_set_new(data, "anonymous_groups", json_true());
    json_object_set_new(data, "breakdown_links", links);
    const char *bd = json_string_value(json_object_get(q, "breakdown"));
    json_object_set_new(json_object_get(data, "settings"), "breakdown_options", json_pack(
        "[{s:s, s:o, s:b}, {s:s, s:o, s:b}, {s:s, s:o, s:b}, {s:s, s:o, s:b}]",
        "value", "none", "label", bilingual_tr("eval.breakdown_none"), "selected", bd && !strcmp(bd, "none"),
        "value", "country", "label", bilingual_tr("field.country"), "selected", bd && !strcmp(bd, "country"),
        "value", "gender", "label", bilingual_tr("field.gender"), "selected", bd && !strcmp(bd, "gender"),
        "value", "institution_type", "label", bilingual_tr("field.institution_type"),
        "selected", bd && !strcmp(bd, "institution_type")));
    int reminders = evaluation_reminders_sent(json_integer_value(json_object_get(q, "id")));
    json_object_set_new(data, "can_remind", json_boolean(reminders < 2));
    json_object_set_new(data, "reminders_sent", json_integer(reminders));
    if (problem)
        json_object_set_new(data, "problem", problem[0] == '!' ? json_string(problem + 1)
                                                               : bilingual_tr(problem));
    if (notice)
        json_object_set_new(data, "notice", bilingual_tr(notice));
    json_decref(stats);
    json_decref(responses);
    res_page(req, res, status, "admin_evaluation", data);
    res->no_store = true;
}

void admin_evaluation(request *req, response *res)
{
    json_t *q = eval_course_q(req, res);
    if (!q)
        return;
    const char *n = req_query(req, "notice");
    show_admin(req, res, 200, q,
               NULL, n && strcmp(n, "saved") == 0 ? "eval.saved"
                     : n && strcmp(n, "reminded") == 0 ? "eval.reminded" : NULL, NULL);
}

static const char *const audiences[] = {"registered", "attended", NULL};
static const char *const breakdowns[] = {"none", "country", "gender", "institution_type", NULL};
static const struct field_spec settings_fields[] = {
    {.name = "opens", .v = V_DATETIME, .required = true},
    {.name = "closes", .v = V_DATETIME, .required = true},
    {.name = "anonymous", .v = V_BOOL},
    {.name = "audience", .v = V_CHOICE, .required = true, .choices = audiences},
    {.name = "reminder_days", .v = V_LINE, .max_len = 20},
    {.name = "low_mean", .v = V_LINE, .required = true, .max_len = 10},
    {.name = "low_min", .v = V_INT, .required = true, .min = 1, .max = 100000},
    /* The questions, as JSON: optional (the question editor is the form;
     * a script may still send them here). */
    {.name = "definition", .v = V_TEXT, .max_len = 200000},
    {.name = "confirm_wording", .v = V_BOOL},
    {.name = "allow_edit", .v = V_BOOL},
    {.name = "breakdown", .v = V_CHOICE, .choices = breakdowns},
};
const struct form_spec evaluation_settings_form = FORM_SPEC(settings_fields);

static bool to_utc(json_t *q, const char *local, char out[32])
{
    int y, mo, d, h, mi;
    time_t t;
    if (!parse_datetime_local(local, &y, &mo, &d, &h, &mi) ||
        !local_to_utc(json_string_value(json_object_get(q, "time_zone")), y, mo, d, h, mi, &t))
        return false;
    format_utc_iso(t, out, 32);
    return true;
}

void admin_evaluation_save(request *req, response *res)
{
    json_t *q = eval_course_q(req, res);
    if (!q)
        return;
    const struct form_values *f = &req->form;
    const char *def_text = form_str(f, "definition");
    if (!f->ok) {
        show_admin(req, res, 422, q, "error.form", NULL, def_text);
        return;
    }
    char opens[32], closes[32];
    if (!to_utc(q, form_str(f, "opens"), opens) || !to_utc(q, form_str(f, "closes"), closes) ||
        strcmp(opens, closes) >= 0) {
        show_admin(req, res, 422, q, "eval.err.times", NULL, def_text);
        return;
    }
    /* Reminder days: at most two whole numbers of days, 1 to 60. */
    const char *rd = form_str(f, "reminder_days");
    int d1 = 0, d2 = 0, used = 0;
    int nd = *rd ? sscanf(rd, "%d%n,%d%n", &d1, &used, &d2, &used) : 0;
    if ((*rd && (nd < 1 || (size_t)used != strlen(rd))) || (nd >= 1 && (d1 < 1 || d1 > 60)) ||
        (nd == 2 && (d2 <= d1 || d2 > 60))) {
        show_admin(req, res, 422, q, "eval.err.reminder_days", NULL, def_text);
        return;
    }
    char *end;
    double low = strtod(form_str(f, "low_mean"), &end);
    if (*end || low < 0 || low > 10) {
        show_admin(req, res, 422, q, "eval.err.low_mean", NULL, def_text);
        return;
    }
    json_error_t je;
    json_t *def = *def_text ? json_loads(def_text, 0, &je)
                            : json_deep_copy(json_object_get(q, "definition"));
    char path[200], msg[200];
    if (!def || !evaluation_validate_definition(def, path, sizeof path, msg, sizeof msg)) {
        show_admin(req, res, 422, q, def ? arena_printf(req->a, "!%s: %s", path, msg)
                                         : arena_printf(req->a, "!JSON, %d:%d: %s", je.line, je.column, je.text),
                   NULL, def_text);
        return;
    }
    bool has = json_integer_value(json_object_get(q, "respondents")) > 0;
    if (has && !evaluation_keeps_questions(json_object_get(q, "definition"), def)) {
        show_admin(req, res, 422, q, "eval.err.removed", NULL, def_text);
        return;
    }
    if (has && !json_equal(def, json_object_get(q, "definition")) && !form_bool(f, "confirm_wording")) {
        show_admin(req, res, 422, q, "eval.err.confirm_wording", NULL, def_text);
        return;
    }
    if (!evaluation_update(json_integer_value(json_object_get(q, "id")), def, opens, closes,
                           form_bool(f, "anonymous"), form_str(f, "audience"), rd, low,
                           (long)form_int(f, "low_min"), form_bool(f, "allow_edit"))) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    /* Absent when locked (the field is disabled); refused by the store
     * once answers exist. */
    const char *bd = form_str(f, "breakdown");
    if (bd && *bd && !has &&
        !evaluation_set_breakdown(json_integer_value(json_object_get(q, "id")), bd)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    audit(req->user.email, "evaluation.settings", eval_admin_path(req, q), "");
    res_redirect(req, res, arena_printf(req->a, "%s?notice=saved", eval_admin_path(req, q)));
}

static const struct field_spec remind_fields[] = {
    {.name = "confirm", .v = V_BOOL},
};
const struct form_spec evaluation_remind_form = FORM_SPEC(remind_fields);

/* A reminder by hand: the first POST shows to how many people it would go,
 * the confirmed one sends it. */
void admin_evaluation_remind(request *req, response *res)
{
    json_t *q = eval_course_q(req, res);
    if (!q)
        return;
    int64_t qid = json_integer_value(json_object_get(q, "id"));
    if (evaluation_reminders_sent(qid) >= 2) {
        show_admin(req, res, 409, q, "eval.err.two_reminders", NULL, NULL);
        return;
    }
    if (!form_bool(&req->form, "confirm")) {
        json_t *data = json_object();
        json_object_set_new(data, "page_title", bilingual_tr("eval.remind_title"));
        json_object_set(data, "course_title", json_object_get(q, "course_title"));
        json_object_set_new(data, "slug", json_string(req_param(req, "slug")));
        json_object_set_new(data, "base", json_string(eval_admin_path(req, q)));
        eval_rate(req, q, data);
        json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
        res_page(req, res, 200, "admin_evaluation_remind", data);
        res->no_store = true;
        return;
    }
    struct app_ctx c = page_ctx(req);
    struct app_err err;
    int n = 0;
    if (!evaluation_mail_reminder(&c, qid, app_origin(), &n, &err)) {
        show_admin(req, res, page_status_of(err.kind), q, err.key, NULL, NULL);
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "%s?notice=reminded", eval_admin_path(req, q)));
}

static const struct field_spec edition_fields[] = {
    {.name = "confirm", .v = V_BOOL},
};
const struct form_spec evaluation_edition_form = FORM_SPEC(edition_fields);

/* One questionnaire for the whole edition, besides its courses': everyone
 * registered on any course is asked once. */
void admin_evaluation_edition_create(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    json_t *q = evaluation_get_edition_wide(slug);
    if (!q) {
        if (!evaluation_create_edition_wide(slug)) {
            res_error(req, res, 503, "error.busy");
            return;
        }
        q = evaluation_get_edition_wide(slug);
        if (!q) {
            res_error(req, res, 404, "error.no_edition");
            return;
        }
        audit(req->user.email, "evaluation.edition_wide", slug, "");
    }
    res_redirect(req, res, eval_admin_path(req, q));
}
