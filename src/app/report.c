/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report as an operation (see report.h): figures gathered once
 * from the stores and written by src/docs/. */
#include "report.h"
#include "attendance.h"

#include <stdio.h>
#include <string.h>

#include "../base/escape.h"
#include "../docs/report_doc.h"
#include "../domain/address.h"
#include "../domain/countries.h"
#include "../domain/report_figures.h"
#include "../store/account_store.h"
#include "../store/db.h"
#include "../store/programme_store.h"
#include "../store/report_store.h"

/* Forms of address by precedence: the application form's vocabulary, kept
 * with it (pages/people_names.c) until that moves below the pages. */

json_t *app_report(const struct app_ctx *ctx, const char *edition, struct app_err *err)
{
    json_t *p = edition ? programme_load(edition, true) : NULL;
    if (!p)
        return app_fail(err, APP_NOT_FOUND, "error.no_edition", NULL), NULL;
    json_t *grids = json_object();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        const char *slug = json_string_value(json_object_get(c, "slug"));
        json_t *g = attendance_grid_of(ctx, edition, slug, NULL);
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
        return app_fail(err, APP_FAILED, "error.export", NULL), NULL;
    json_t *eval = report_evaluation_part(edition);
    json_t *input = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "programme", p,
                              "enrolments", enrolments, "attendance", grids, "certificates",
                              certs, "members", members, "address_order", order, "evaluation",
                              eval ? eval : json_null());
    json_t *fig = input ? report_figures(input) : NULL;
    json_decref(input);
    if (!fig)
        return app_fail(err, APP_FAILED, "error.export", NULL), NULL;
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

bool app_report_write(const struct app_ctx *ctx, json_t *report, const char *format, lang_t lang,
                      bool participants, const char *path, struct app_err *err)
{
    (void)ctx;
    json_t *blocks = report_blocks(report, lang, participants);
    bool ok = false;
    char why[256] = "";
    if (strcmp(format, "pdf") == 0) {
        ok = report_pdf(blocks, report, lang, path, why, sizeof why);
    } else if (strcmp(format, "xlsx") == 0) {
        ok = report_xlsx(blocks, lang, path);
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
        sb_release(&out);
    } else {
        json_decref(blocks);
        return app_fail(err, APP_INVALID, "report.unknown_format", "%s", format);
    }
    json_decref(blocks);
    if (!ok)
        return *why ? app_fail(err, APP_FAILED, "error.export", "%s", why)
                    : app_fail(err, APP_FAILED, "error.export", "cannot write %s", path);
    return true;
}

bool app_report_texts_save(const struct app_ctx *ctx, const char *edition, json_t *texts,
                           struct app_err *err)
{
    if (!edition || !programme_load(edition, false))
        return app_fail(err, APP_NOT_FOUND, "error.no_edition", NULL);
    for (const char *const *k = report_text_keys; *k; k++) {
        json_t *t = json_object_get(texts, *k);
        if (!report_text_save(edition, *k, json_string_value(json_object_get(t, "es")),
                              json_string_value(json_object_get(t, "en")), ctx->actor))
            return app_fail(err, APP_FAILED, "error.export", NULL);
    }
    return true;
}
