/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "console_nav.h"

#include <string.h>

#include "../store/programme_store.h"
#include "programme_view.h"

struct section {
    const char *path;  /* after /admin/events/{slug}, or absolute when it starts with /admin */
    const char *label;
    role_t role;       /* the least role that may use it */
};

static const struct section sections[] = {
    {"/admin", "nav.console_home", ROLE_TRAINER},
    {"", "nav.programme", ROLE_ADMIN},
    {"/applications", "review.title", ROLE_COORDINATOR},
    {"/meetings", "meetings.title", ROLE_COORDINATOR},
    {"/attendance", "attendance.title", ROLE_COORDINATOR},
    {"/certificates", "certificates.title", ROLE_COORDINATOR},
    {"/evaluation", "eval.admin_title", ROLE_COORDINATOR},
    {"/report", "report.console_title", ROLE_COORDINATOR},
    {"/materials", "materials.admin_title", ROLE_TRAINER},
    {"/admin/outbox", "outbox.title", ROLE_COORDINATOR},
    {"/admin/people", "nav.people", ROLE_ADMIN},
    {"/admin/settings", "nav.settings", ROLE_ADMIN},
    {"/admin/audit", "admin.audit", ROLE_ADMIN},
};

/* The edition the page is about, else the newest one. */
static const char *current_edition(request *req)
{
    for (int i = 0; i < req->nparams; i++)
        if (strcmp(req->param_names[i], "slug") == 0)
            return req->params[i];
    json_t *eds = edition_list(true);
    const char *slug = json_string_value(json_object_get(json_array_get(eds, 0), "slug"));
    return slug ? arena_strdup(req->a, slug) : NULL;
}

/* The address a page counts as for the navigation.  Some pages belong to a
 * section their address does not start with: a course's invitations and
 * their updates are sent from the review of applications, a course's
 * evaluation is one of the evaluations, one application is a row of the
 * list, and a batch's progress is about messages. */
static const char *section_path(request *req, const char *edition)
{
    const char *p = req->path;
    if (strncmp(p, "/admin/batches/", 15) == 0)
        return "/admin/outbox";
    if (!edition)
        return p;
    const char *base = arena_printf(req->a, "/admin/events/%s", edition);
    if (!base)
        return p;
    if (strncmp(p, "/admin/applications/", 20) == 0)
        return arena_printf(req->a, "%s/applications", base);
    size_t n = strlen(base);
    if (strncmp(p, base, n) != 0)
        return p;
    const char *rest = p + n;
    if (strcmp(rest, "/invitation-updates") == 0)
        return arena_printf(req->a, "%s/applications", base);
    if (strncmp(rest, "/courses/", 9) == 0) {
        const char *tail = strchr(rest + 9, '/');
        if (tail && strcmp(tail, "/invitations") == 0)
            return arena_printf(req->a, "%s/applications", base);
        if (tail && strncmp(tail, "/evaluation", 11) == 0)
            return arena_printf(req->a, "%s/evaluation", base);
    }
    return p;
}

json_t *console_nav(request *req)
{
    if (strncmp(req->path, "/admin", 6) != 0 || req->user.role < ROLE_TRAINER)
        return NULL;
    const char *edition = current_edition(req);
    const char *path = section_path(req, edition);
    if (!path)
        path = req->path;
    json_t *list = json_array();
    size_t best = 0, best_len = 0;
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++) {
        const struct section *s = &sections[i];
        if (req->user.role < s->role)
            continue;
        const char *href;
        if (strncmp(s->path, "/admin", 6) == 0)
            href = s->path;
        else if (edition)
            href = arena_printf(req->a, "/admin/events/%s%s", edition, s->path);
        else
            continue;
        if (!href)
            continue;
        /* The longest link that starts the path is the current section. */
        size_t n = strlen(href);
        if (strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/') &&
            n > best_len) {
            best = json_array_size(list);
            best_len = n;
        }
        json_array_append_new(list, json_pack("{s:s, s:o, s:b}", "href", href, "label",
                                              bilingual_tr(s->label), "current", 0));
    }
    if (best_len)
        json_object_set_new(json_array_get(list, best), "current", json_true());
    return list;
}
