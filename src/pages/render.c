/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Turning handler data into pages: the layout around every page, content
 * negotiation between HTML and JSON, and error pages. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../base/escape.h"
#include "../store/settings_store.h"
#include "../view/template.h"
#include "../store/programme_store.h"
#include "../view/views.h"
#include "../app/app.h"
#include "render.h"
#include "settings.h"
#include "console_nav.h"
#include "programme_view.h"

static bool wants_json(request *req)
{
    const char *fmt = req_query(req, "format");
    if (fmt && strcmp(fmt, "json") == 0)
        return true;
    const char *accept = req_header(req, "Accept");
    return accept && strncmp(accept, "application/json", 16) == 0;
}

/* The current address with ?lang= set to the other language.  The page's
 * other query arguments stay (a form's ?parent=, a list's filter), or the
 * switch would lead to a page that cannot be drawn; a one-time notice
 * (?saved=, ?done=, ?notice=, ?registered=) is not
 * repeated. */
static const char *switch_url(request *req, lang_t to)
{
    strbuf sb;
    sb_init(&sb, req->a);
    sb_puts(&sb, req->path);
    sb_putc(&sb, '?');
    const struct form_raw *q = req_query_all(req);
    for (size_t i = 0; i < q->n; i++) {
        const char *name = q->pairs[i].name;
        if (strcmp(name, "lang") == 0 || strcmp(name, "saved") == 0 || strcmp(name, "done") == 0 ||
            strcmp(name, "notice") == 0 || strcmp(name, "registered") == 0)
            continue;
        esc_url_component(&sb, name);
        sb_putc(&sb, '=');
        esc_url_component(&sb, q->pairs[i].value);
        sb_putc(&sb, '&');
    }
    sb_printf(&sb, "lang=%s", lang_code(to));
    return sb_str(&sb);
}

void res_page(request *req, response *res, int status, const char *template_name, json_t *data)
{
    if (wants_json(req)) {
        res_json(req, res, status, data);
        return;
    }
    strbuf body;
    sb_init(&body, req->a);
    if (!view_render(template_name, data, req->lang, &body)) {
        res_text(res, 500, "text/plain; charset=utf-8", "missing template", 16);
        return;
    }
    lang_t other = req->lang == LANG_ES ? LANG_EN : LANG_ES;
    json_t *layout = json_object();
    json_object_set(layout, "page", data);
    json_object_set_new(layout, "body", json_stringn(sb_str(&body), body.len));
    json_object_set_new(layout, "lang", json_string(lang_code(req->lang)));
    json_object_set_new(layout, "other_lang", json_string(lang_code(other)));
    json_object_set_new(layout, "other_lang_name", json_string(tr(req->lang, other == LANG_EN ? "lang.switch_en" : "lang.switch_es")));
    json_object_set_new(layout, "switch_url", json_string(switch_url(req, other)));
    /* The institution's face: the page's organisation, else the site's. */
    json_t *org = json_object_get(data, "organisation");
    if (org && json_object_get(org, "name"))
        json_object_set(layout, "org", org);
    else if ((org = site_organisation()))
        json_object_set_new(layout, "org", org);
    struct site_file logo;
    if (site_file_get(req->a, "logo", false, &logo))
        json_object_set_new(layout, "logo_url", json_sprintf("/logo?v=%.12s", logo.sha256));
    json_t *title = json_object_get(data, "page_title");
    if (title)
        json_object_set(layout, "title", title);
    if (req->user.id) {
        json_object_set_new(layout, "signed_in", json_true());
        json_object_set_new(layout, "user_email", json_string(req->user.email));
        json_object_set_new(layout, "is_staff", json_boolean(req->user.role >= ROLE_TRAINER));
        json_t *nav = console_nav(req);
        if (nav)
            json_object_set_new(layout, "console_nav", nav);
        /* Before anyone sends mail or issues certificates with links to
         * this machine, the console asks for the public address. */
        if (nav && req->user.role >= ROLE_COORDINATOR && public_address_missing())
            json_object_set_new(layout, "address_missing",
                                json_pack("{s:b}", "admin", req->user.role >= ROLE_ADMIN));
    }
    if (req->user.id)
        json_object_set_new(layout, "csrf", json_string(csrf_token(req, res)));
    strbuf out;
    sb_init(&out, req->a);
    view_render("layout", layout, req->lang, &out);
    res_text(res, status, "text/html; charset=utf-8", sb_str(&out), out.len);
}

/* Whether rendering produced a body (it produces none when even the
 * error page's memory could not be had). */
static bool has_body(const response *res)
{
    return res->body && res->len > 0 && !(res->len == 4 && memcmp(res->body, "null", 4) == 0);
}

void res_error(request *req, response *res, int status, const char *message_key)
{
    res->nheaders = 0;
    if (res->has_file) {
        /* The error replaces a download the handler had already opened. */
        close(res->file_fd);
        res->has_file = false;
    }
    /* A request that ran out of memory still gets a proper page: the
     * arena's reserve is meant for this one. */
    if (arena_exhausted(req->a))
        arena_use_reserve(req->a);
    json_t *data = json_object();
    json_object_set_new(data, "status", json_integer(status));
    json_object_set_new(data, "error", json_string(message_key));
    json_object_set_new(data, "message", bilingual_tr(message_key));
    if (strcmp(message_key, "error.upload_too_large") == 0) {
        /* Say what the limit is, in both languages. */
        double mb = (double)app_config()->max_upload / (1024.0 * 1024.0);
        json_object_set_new(data, "message", json_pack("{s:s, s:s}",
            "es", arena_printf(req->a, "%s (límite: %.0f MB).", tr(LANG_ES, message_key), mb),
            "en", arena_printf(req->a, "%s (limit: %.0f MB).", tr(LANG_EN, message_key), mb)));
    }
    char key[32];
    snprintf(key, sizeof key, "status.%d", status);
    json_object_set_new(data, "page_title", bilingual_tr(key));
    if (req->route && (req->route->flags & R_API)) {
        json_t *msg = json_object();
        json_object_set_new(msg, "status", json_integer(status));
        json_object_set_new(msg, "error", json_string(message_key));
        int fb;
        json_object_set_new(msg, "message", json_string(bilingual_text(json_object_get(data, "message"), req->lang, &fb)));
        res_json(req, res, status, msg);
    } else {
        res_page(req, res, status, "error", data);
    }
    if (!has_body(res)) {
        /* The catalog's own text needs no memory and outlives the request. */
        const char *text = tr(req->lang, message_key);
        res_text(res, status, "text/plain; charset=utf-8", text, strlen(text));
    }
}
