/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The public programme: home, edition, agenda, course and speakers pages. */
#include <string.h>
#include <time.h>

#include "../app/courses.h"
#include "../base/embedded.h"
#include "../store/programme_store.h"
#include "public.h"
#include "render.h"
#include "programme_view.h"

void page_healthz(request *req, response *res)
{
    (void)req;
    res_text(res, 200, "text/plain; charset=utf-8", "ok\n", 3);
    res->no_store = true;
}

void page_home(request *req, response *res)
{
    json_t *editions = edition_list(false);
    if (json_array_size(editions) == 1 && !req_query(req, "format")) {
        const char *slug = json_string_value(json_object_get(json_array_get(editions, 0), "slug"));
        /* The language asked for travels with the redirect. */
        res_redirect(req, res, arena_printf(req->a, "/events/%s%s", slug,
                                       req->lang_from_query
                                           ? (req->lang == LANG_EN ? "?lang=en" : "?lang=es")
                                           : ""));
        res->status = 302;
        return;
    }
    /* Upcoming editions first (soonest first), then past ones (latest first). */
    char today[11];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_t *upcoming = json_array(), *past = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(editions, i, e) {
        json_object_set_new(e, "url", json_sprintf("/events/%s",
                                                   json_string_value(json_object_get(e, "slug"))));
        if (strcmp(json_string_value(json_object_get(e, "ends_on")), today) >= 0)
            json_array_insert(upcoming, 0, e);
        else
            json_array_append(past, e);
    }
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("home.title"));
    json_object_set_new(data, "upcoming", upcoming);
    json_object_set_new(data, "past", past);
    json_object_set_new(data, "empty", json_boolean(json_array_size(editions) == 0));
    res_page(req, res, 200, "home", data);
}

/* Loads the edition named in the path, or answers 404. */
static json_t *edition_or_404(request *req, response *res)
{
    json_t *p = programme_view(req_param(req, "slug"), 0);
    if (!p)
        res_error(req, res, 404, "error.no_edition");
    return p;
}

static void edition_page(request *req, response *res, const char *tmpl, const char *title_key)
{
    json_t *p = edition_or_404(req, res);
    if (!p)
        return;
    json_t *e = json_object_get(p, "edition");
    if (title_key)
        json_object_set_new(p, "section_title", bilingual_tr(title_key));
    json_object_set(p, "page_title", title_key ? json_object_get(p, "section_title")
                                               : json_object_get(e, "title"));
    json_object_set_new(p, "current", json_string(tmpl));
    json_object_set_new(p, tmpl[0] == 'a' ? "is_agenda" : tmpl[0] == 's' ? "is_speakers"
                                                                          : "is_event",
                        json_true());
    res_page(req, res, 200, tmpl, p);
}

void page_event(request *req, response *res)
{
    edition_page(req, res, "event", NULL);
}

void page_agenda(request *req, response *res)
{
    edition_page(req, res, "agenda", "nav.agenda");
}

void page_speakers(request *req, response *res)
{
    edition_page(req, res, "speakers", "nav.speakers");
}

void page_course(request *req, response *res)
{
    json_t *p = edition_or_404(req, res);
    if (!p)
        return;
    json_t *c = programme_course(p, req_param(req, "course"));
    if (!c) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    json_object_set(p, "course", c);
    json_object_set(p, "page_title", json_object_get(c, "title"));
    res_page(req, res, 200, "course", p);
}

void page_static(request *req, response *res)
{
    const char *name = req_param(req, "file");
    const struct embedded_file *f = embedded_find(embedded_static, embedded_static_count, name);
    if (!f) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    const char *dot = strrchr(name, '.');
    const char *ct = "application/octet-stream";
    if (dot && strcmp(dot, ".css") == 0)
        ct = "text/css; charset=utf-8";
    else if (dot && strcmp(dot, ".js") == 0)
        ct = "text/javascript; charset=utf-8";
    else if (dot && strcmp(dot, ".svg") == 0)
        ct = "image/svg+xml";
    res_text(res, 200, ct, (const char *)f->data, f->len);
    /* The icon hardly ever changes and every page asks for it: a month.
     * The style sheet and script change with a release: an hour. */
    res_header(res, "Cache-Control", strncmp(name, "favicon.", 8) == 0
                                         ? "public, max-age=2592000" : "public, max-age=3600");
}

/* /favicon.ico, which browsers and tools ask for without reading the
 * page's <link rel="icon">: the same drawing, rather than a 404. */
void page_favicon(request *req, response *res)
{
    const struct embedded_file *f =
        embedded_find(embedded_static, embedded_static_count, "favicon.svg");
    if (!f) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    res_text(res, 200, "image/svg+xml", (const char *)f->data, f->len);
    res_header(res, "Cache-Control", "public, max-age=2592000");
}
