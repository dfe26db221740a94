/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "../app/courses.h"
#include "report.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/escape.h"
#include "../base/timeutil.h"
#include "../docs/report_doc.h"
#include "../domain/countries.h"
#include "../domain/report_figures.h"
#include "../store/account_store.h"
#include "../store/db.h"
#include "../store/programme_store.h"
#include "../store/report_store.h"
#include "../http/download.h"
#include "pages.h"
#include "programme_view.h"

report_evaluation_fn report_evaluation_source = NULL;

json_t *report_of(request *req, const char *edition)
{
    json_t *p = programme_load(edition, true);
    if (!p)
        return NULL;
    json_t *grids = json_object();
    size_t i;
    json_t *c;
    programme_foreach_course(p, i, c) {
        const char *slug = json_string_value(json_object_get(c, "slug"));
        json_t *g = attendance_grid(req, edition, slug);
        if (g)
            json_object_set_new(grids, slug, g);
    }
    json_t *members = json_array(), *order = json_array();
    for (const char *const *m = sela_member_states; *m; m++)
        json_array_append_new(members, json_string(*m));
    for (const char *const *f = forms_of_address; *f; f++)
        json_array_append_new(order, json_string(*f));
    json_t *enrolments = report_enrolments(edition), *certs = report_certificates(edition);
    if (!enrolments || !certs)
        return NULL;
    report_evaluation_fn source =
        report_evaluation_source ? report_evaluation_source : report_evaluation_builtin();
    json_t *eval = source ? source(req, edition) : NULL;
    json_t *input = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "programme", p,
                              "enrolments", enrolments, "attendance", grids, "certificates",
                              certs, "members", members, "address_order", order, "evaluation",
                              eval ? eval : json_null());
    json_t *fig = input ? report_figures(input) : NULL;
    json_decref(input);
    if (!fig)
        return NULL;
    char fp[65], now[32];
    report_fingerprint(fig, fp);
    db_now(now);
    json_t *texts = report_texts(edition);
    json_object_set_new(fig, "texts", texts ? texts : json_object());
    json_object_set_new(fig, "generated_at", json_string(now));
    json_object_set_new(fig, "fingerprint", json_string(fp));
    return fig;
}

static const char *const html_style =
    "body{font-family:'Noto Sans','DejaVu Sans',sans-serif;max-width:50rem;margin:2rem auto;"
    "padding:0 1rem;color:#111}table{border-collapse:collapse;margin:1rem 0}"
    "th,td{border-bottom:1px solid #999;padding:.2rem .4rem;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}td.num{text-align:right}caption{font-weight:bold;text-align:left}"
    "img{max-width:100%;height:auto}.table-scroll{overflow-x:auto}";

bool report_write(json_t *report, const char *format, lang_t lang, bool participants,
                  const char *path, char *err, size_t errlen)
{
    json_t *blocks = report_blocks(report, lang, participants);
    bool ok = false;
    if (strcmp(format, "pdf") == 0) {
        ok = report_pdf(blocks, report, lang, path, err, errlen);
    } else if (strcmp(format, "xlsx") == 0) {
        ok = report_xlsx(blocks, lang, path);
        if (!ok)
            snprintf(err, errlen, "cannot write %s", path);
    } else if (strcmp(format, "html") == 0) {
        strbuf out;
        sb_init(&out, NULL);
        sb_printf(&out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
                  lang_code(lang));
        esc_html_text(&out, tr(lang, "report.title"));
        sb_printf(&out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n<h1>", html_style);
        esc_html_text(&out, tr(lang, "report.title"));
        sb_puts(&out, "</h1>\n");
        report_html(blocks, report, lang, &out);
        sb_puts(&out, "</main>\n</body>\n</html>\n");
        FILE *fp = fopen(path, "wb");
        ok = fp && fwrite(sb_str(&out), 1, out.len, fp) == out.len;
        if (fp && fclose(fp) != 0)
            ok = false;
        if (!ok)
            snprintf(err, errlen, "cannot write %s", path);
        sb_release(&out);
    } else {
        snprintf(err, errlen, "unknown format %s", format);
    }
    json_decref(blocks);
    return ok;
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
    json_t *rep = report_of(req, slug);
    if (!rep) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
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
    for (const char *const *k = report_text_keys; *k; k++) {
        char es[64], en[64];
        snprintf(es, sizeof es, "%s_es", *k);
        snprintf(en, sizeof en, "%s_en", *k);
        if (!report_text_save(slug, *k, form_str(f, es), form_str(f, en), req->user.email)) {
            show(req, res, 500, NULL, tr(req->lang, "error.export"));
            return;
        }
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
    json_t *rep = report_of(req, slug);
    if (!rep) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    char dir[600], path[700], err[256];
    snprintf(dir, sizeof dir, "%s/tmp", app_config()->data_dir);
    mkdir(dir, 0700);
    unsigned char raw[8];
    char hex[17];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(path, sizeof path, "%s/report-%s.%s", dir, hex, format);
    if (!report_write(rep, format, (lang_t)lang, req_query(req, "participants") != NULL, path, err,
                      sizeof err) ||
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
    json_t *rep = report_of(req, req_param(req, "slug"));
    if (!rep) {
        res_json(req, res, 404, json_pack("{s:s}", "error", "no such edition"));
        return;
    }
    res_json(req, res, 200, rep);
    res->no_store = true;
}
