/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The confirmation step of every bulk action that emails people (decisions,
 * invitations, certificates): how many people it reaches, a preview of one
 * message in each language drawn by the code that queues them, then a
 * confirmation form carrying a one-time token, so that submitting it twice
 * does the action once. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../base/strbuf.h"
#include "../store/bulk_store.h"
#include "../store/outbox_store.h"
#include "bulk_confirm.h"
#include "render.h"
#include "programme_view.h"

json_t *confirm_page(request *req, response *res, const char *title_key, const char *action,
                     const char *back, const char *confirm_key)
{
    json_t *page = json_object();
    json_object_set_new(page, "page_title", bilingual_tr(title_key));
    json_object_set_new(page, "action", json_string(action));
    json_object_set_new(page, "back", json_string(back));
    json_object_set_new(page, "confirm_label", json_string(tr(req->lang, confirm_key)));
    json_object_set_new(page, "recipients", json_array());
    json_object_set_new(page, "previews", json_array());
    json_object_set_new(page, "hidden", json_array());
    json_object_set_new(page, "skipped", json_array());
    json_object_set_new(page, "csrf", json_string(csrf_token(req, res)));
    /* A fresh token per page shown: a second submission of this form is
     * recognised, a new confirmation is a new action. */
    unsigned char raw[18];
    char token[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    confirm_hidden(page, "token", token);
    return page;
}

void confirm_recipient(json_t *page, const char *name, const char *email, const char *language)
{
    json_array_append_new(json_object_get(page, "recipients"),
                          json_pack("{s:s, s:s, s:s}", "name", name ? name : "", "email",
                                    email ? email : "", "language",
                                    language && strcmp(language, "en") == 0 ? "en" : "es"));
}

void confirm_skipped(json_t *page, const char *name, json_t *reason)
{
    json_array_append_new(json_object_get(page, "skipped"),
                          json_pack("{s:s, s:o}", "name", name ? name : "", "reason", reason));
}

void confirm_hidden(json_t *page, const char *name, const char *value)
{
    json_array_append_new(json_object_get(page, "hidden"),
                          json_pack("{s:s, s:s}", "name", name, "value", value));
}

void confirm_preview(request *req, json_t *page, lang_t lang, const struct message *m)
{
    /* The preview shows what the outbox will show: a link's token masked. */
    const char *subject = m->subject, *body = m->body_text;
    if (m->secret && *m->secret) {
        strbuf out;
        for (int k = 0; k < 2; k++) {
            const char *text = k ? body : subject;
            sb_init(&out, req->a);
            size_t n = strlen(m->secret);
            for (const char *p = text, *q; p && *p; p = q + n) {
                q = strstr(p, m->secret);
                if (!q) {
                    sb_puts(&out, p);
                    break;
                }
                sb_printf(&out, "%.*s%s", (int)(q - p), p, OUTBOX_MASK);
            }
            if (k)
                body = sb_str(&out);
            else
                subject = sb_str(&out);
        }
    }
    char key[32];
    snprintf(key, sizeof key, "bulk.preview_%s", lang_code(lang));
    json_array_append_new(json_object_get(page, "previews"),
                          json_pack("{s:s, s:s, s:s, s:s}", "lang", lang_code(lang), "label",
                                    tr(req->lang, key), "subject", subject ? subject : "",
                                    "body", body ? body : ""));
}

const char *confirm_fingerprint(request *req, json_t *rows, const char *key)
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 16);
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char id[32];
        int n = snprintf(id, sizeof id, "%lld,", (long long)json_integer_value(json_object_get(r, key)));
        crypto_generichash_update(&st, (const unsigned char *)id, (size_t)n);
    }
    unsigned char h[16];
    crypto_generichash_final(&st, h, sizeof h);
    char *hex = arena_alloc(req->a, 33);
    if (hex)
        sodium_bin2hex(hex, 33, h, sizeof h);
    return hex ? hex : "";
}

void confirm_show(request *req, response *res, int status, json_t *page, const char *nothing_key)
{
    json_t *who = json_object_get(page, "recipients");
    size_t i, en = 0;
    json_t *r;
    json_array_foreach(who, i, r)
        en += strcmp(json_string_value(json_object_get(r, "language")), "en") == 0;
    size_t n = json_array_size(who);
    json_object_set_new(page, "count", json_integer((json_int_t)n));
    json_object_set_new(page, "count_es", json_integer((json_int_t)(n - en)));
    json_object_set_new(page, "count_en", json_integer((json_int_t)en));
    /* A language's preview only when someone reads it: a "Message in
     * Spanish" above a list of English readers says the wrong thing. */
    json_t *kept = json_array(), *pv;
    json_array_foreach(json_object_get(page, "previews"), i, pv) {
        bool english = strcmp(json_string_value(json_object_get(pv, "lang")), "en") == 0;
        if (english ? en > 0 : n - en > 0)
            json_array_append(kept, pv);
    }
    json_object_set_new(page, "previews", kept);
    /* Nothing to send is said, never a 404 nor an empty confirmation. */
    if (!n)
        json_object_set_new(page, "nothing", bilingual_tr(nothing_key));
    res_page(req, res, status, "admin_confirm", page);
    res->no_store = true;
}

bool bulk_once(request *req, response *res, const char *kind, const char *token,
               const char *fallback)
{
    char result[512] = "";
    switch (bulk_claim(token, kind, req->user.email, result, sizeof result)) {
    case BULK_NEW:
        return true;
    case BULK_DONE:
        /* The same confirmation again (a double click, a reload): where the
         * first one led, and nothing done twice. */
        res_redirect(req, res, *result ? arena_strdup(req->a, result) : fallback);
        return false;
    default:
        res_error(req, res, 503, "error.busy");
        return false;
    }
}

void bulk_done(const char *token, const char *result)
{
    bulk_finish(token, result);
}
