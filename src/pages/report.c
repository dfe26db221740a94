/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "../app/courses.h"
#include "report.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../app/report.h"
#include "../docs/report_doc.h"
#include "../store/account_store.h"
#include "../store/programme_store.h"
#include "../store/report_store.h"
#include "page_ctx.h"
#include "../http/download.h"
#include "../app/app.h"
#include "render.h"
#include "programme_view.h"

/* The report of the request's edition for the page's person; NULL after
 * answering with the failure. */
static json_t *report_or_error(request *req, response *res, const char *slug)
{
    struct app_ctx ctx = page_ctx(req);
    struct app_err err = {0};
    json_t *rep = app_report(&ctx, slug, &err);
    if (!rep)
        res_error(req, res, page_status_of(err.kind), err.key);
    return rep;
}

static const struct field_spec text_fields[] = {
    {.name = "reference_es", .v = V_LINE, .max_len = 200},
    {.name = "reference_en", .v = V_LINE, .max_len = 200},
    {.name = "summary_es", .v = V_TEXT, .max_len = 20000},
    {.name = "summary_en", .v = V_TEXT, .max_len = 20000},
    {.name = "conclusions_es", .v = V_TEXT, .max_len = 20000},
    {.name = "conclusions_en", .v = V_TEXT, .max_len = 20000},
    {.name = "recommendations_es", .v = V_TEXT, .max_len = 20000},
    {.name = "recommendations_en", .v = V_TEXT, .max_len = 20000},
};
const struct form_spec report_texts_form = FORM_SPEC(text_fields);

static void show(request *req, response *res, int status, const char *notice, const char *error)
{
    const char *slug = req_param(req, "slug");
    json_t *rep = report_or_error(req, res, slug);
    if (!rep)
        return;
    bool participants = req_query(req, "participants") != NULL;
    json_t *blocks = report_blocks(rep, req->lang, participants);
    strbuf html;
    sb_init(&html, req->a);
    report_html(blocks, rep, req->lang, &html);
    json_t *texts = json_object_get(rep, "texts"), *form = json_array();
    const struct form_values *f = status == 200 ? NULL : &req->form;
    for (const char *const *k = report_text_keys; *k; k++) {
        char key[64], es[64], en[64];
        snprintf(key, sizeof key, "report.h.%s", *k);
        snprintf(es, sizeof es, "%s_es", *k);
        snprintf(en, sizeof en, "%s_en", *k);
        json_t *t = json_object_get(texts, *k);
        json_array_append_new(form, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s?, s:b}", "key", *k,
            "label", tr(req->lang, key), "name_es", arena_strdup(req->a, es), "name_en",
            arena_strdup(req->a, en), "es",
            f ? form_str(f, es) : json_string_value(json_object_get(t, "es")), "en",
            f ? form_str(f, en) : json_string_value(json_object_get(t, "en")), "line",
            strcmp(*k, "reference") == 0));
    }
    json_t *data = json_pack("{s:o, s:s, s:s, s:s, s:b, s:o, s:s?, s:s?, s:s}", "page_title",
        bilingual_tr("report.console_title"), "edition", slug, "report_html", sb_str(&html),
        "fingerprint", json_string_value(json_object_get(rep, "fingerprint")), "preliminary",
        json_is_true(json_object_get(rep, "preliminary")), "texts", form, "notice", notice,
        "error", error, "csrf", csrf_token(req, res));
    res_page(req, res, status, "admin_report", data);
    res->no_store = true;
}

void admin_report(request *req, response *res)
{
    show(req, res, 200, req_query(req, "saved") ? tr(req->lang, "report.saved") : NULL, NULL);
}

void admin_report_texts(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    const struct form_values *f = &req->form;
    if (!programme_load(slug, false)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    if (!f->ok) {
        show(req, res, 422, NULL, tr(req->lang, "report.text_invalid"));
        return;
    }
    json_t *texts = json_object();
    for (const char *const *k = report_text_keys; *k; k++) {
        char es[64], en[64];
        snprintf(es, sizeof es, "%s_es", *k);
        snprintf(en, sizeof en, "%s_en", *k);
        json_object_set_new(texts, *k, json_pack("{s:s, s:s}", "es", form_str(f, es), "en",
                                                 form_str(f, en)));
    }
    struct app_ctx ctx = page_ctx(req);
    struct app_err err = {0};
    if (!app_report_texts_save(&ctx, slug, texts, &err)) {
        show(req, res, page_status_of(err.kind), NULL, tr(req->lang, err.key));
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/report?saved=1", slug));
}

/* GET .../report.pdf and .../report.xlsx: ?language=es|en picks the
 * document's language (the page's by default); ?participants=1 adds the
 * list of participants. */
void admin_report_download(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    size_t plen = strlen(req->path);
    const char *format = plen > 4 && strcmp(req->path + plen - 4, ".pdf") == 0    ? "pdf"
                         : plen > 5 && strcmp(req->path + plen - 5, ".xlsx") == 0 ? "xlsx"
                                                                                  : NULL;
    const char *l = req_query(req, "language");
    int lang = l ? lang_parse(l) : (int)req->lang;
    if (!format || lang < 0) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    json_t *rep = report_or_error(req, res, slug);
    if (!rep)
        return;
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/tmp", app_config()->data_dir);
    mkdir(dir, 0700);
    unsigned char raw[8];
    char hex[17];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(path, sizeof path, "%s/report-%s.%s", dir, hex, format);
    struct app_ctx ctx = page_ctx(req);
    struct app_err err = {0};
    if (!app_report_write(&ctx, rep, format, (lang_t)lang, req_query(req, "participants") != NULL,
                          path, &err) ||
        !res_file(res, path, strcmp(format, "pdf") == 0
                                 ? "application/pdf"
                                 : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  true)) {
        unlink(path);
        res_error(req, res, 500, "error.export");
        return;
    }
    res_header(res, "Content-Disposition", content_disposition(req->a, "attachment",
        arena_printf(req->a, "%s-report-%s.%s", slug, lang_code((lang_t)lang), format)));
    res->no_store = true;
    audit(req->user.email, "report.download", slug, format);
}

void api_report(request *req, response *res)
{
    struct app_ctx ctx = page_ctx(req);
    struct app_err err = {0};
    json_t *rep = app_report(&ctx, req_param(req, "slug"), &err);
    if (!rep) {
        res_json(req, res, page_status_of(err.kind), json_pack("{s:s}", "error",
            err.kind == APP_NOT_FOUND ? "no such edition" : "cannot compute the report"));
        return;
    }
    res_json(req, res, 200, rep);
    res->no_store = true;
}

/* GET /admin/events/{slug}/report/comments: every comment of the edition's
 * evaluation, each with a control to quote it in the report or not. */
static void show_comments(request *req, response *res, int status, const char *error)
{
    const char *slug = req_param(req, "slug");
    struct app_ctx ctx = page_ctx(req);
    struct app_err err = {0};
    json_t *courses = app_report_comments(&ctx, slug, &err);
    if (!courses) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    size_t n = 0, chosen = 0, i, j;
    json_t *c, *cm;
    json_array_foreach(courses, i, c) {
        json_object_set_new(c, "empty", json_boolean(!json_array_size(json_object_get(c, "comments"))));
        json_array_foreach(json_object_get(c, "comments"), j, cm) {
            n++;
            chosen += json_is_true(json_object_get(cm, "chosen"));
        }
    }
    json_t *data = json_pack("{s:o, s:s, s:o, s:I, s:I, s:b, s:s?, s:s}", "page_title",
        bilingual_tr("report.comments_title"), "edition", slug, "courses", courses, "count",
        (json_int_t)n, "chosen_count", (json_int_t)chosen, "none", n == 0, "error", error,
        "csrf", csrf_token(req, res));
    res_page(req, res, status, "admin_report_comments", data);
    res->no_store = true;
}

void admin_report_comments(request *req, response *res)
{
    show_comments(req, res, 200, NULL);
}

static const char *const choose_values[] = {"1", "0", NULL};
static const struct field_spec choose_fields[] = {
    {.name = "comment", .v = V_TOKEN, .required = true, .max_len = 160},
    {.name = "chosen", .v = V_CHOICE, .required = true, .choices = choose_values},
};
const struct form_spec report_choose_form = FORM_SPEC(choose_fields);

/* POST /admin/events/{slug}/report/comments: chooses or unchooses one. */
void admin_report_choose(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    const struct form_values *f = &req->form;
    if (!f->ok) {
        show_comments(req, res, 422, tr(req->lang, "report.no_comment"));
        return;
    }
    struct app_ctx ctx = page_ctx(req);
    struct app_err err = {0};
    if (!app_report_choose(&ctx, slug, form_str(f, "comment"),
                           strcmp(form_str(f, "chosen"), "1") == 0, &err)) {
        show_comments(req, res, page_status_of(err.kind), tr(req->lang, err.key));
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/report/comments", slug));
}
