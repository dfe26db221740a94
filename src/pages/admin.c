/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The console's programme editor: a tree of the edition with links to
 * create, edit, reorder and delete each item, and one generic form per
 * kind of item, driven by the declarations in admin_entities.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app/programme.h"
#include "../http/page_cache.h"
#include "../base/timeutil.h"
#include "../domain/next_steps.h"
#include "../domain/programme.h"
#include "../store/account_store.h"
#include "../store/programme_store.h"
#include "../store/progress_store.h"
#include "admin_entities.h"
#include "evaluation_pages.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "admin.h"
#include "invitations.h"
#include "render.h"
#include "programme_view.h"
#include "words.h"
#include "../view/template.h"

void programme_changed(void)
{
    page_cache_invalidate();
}

/* A step's sentence in one language: the catalog's text for the step,
 * its ".one" form for a single item, filled with the count, the course and
 * the date. */
static const char *step_text(request *req, lang_t lang, const struct next_step *s,
                             json_t *course, json_t *date)
{
    static const char *const keys[] = {
        [STEP_FAILED_MAIL] = "home.step.failed_mail", [STEP_DECIDE] = "home.step.decide",
        [STEP_INVITE] = "home.step.invite", [STEP_UPDATES] = "home.step.updates",
        [STEP_ATTENDANCE] = "home.step.attendance",
        [STEP_CERTIFICATES] = "home.step.certificates"};
    const char *key = s->count == 1 ? arena_printf(req->a, "%s.one", keys[s->kind]) : keys[s->kind];
    const char *code = lang_code(lang);
    const char *title = json_string_value(json_object_get(json_object_get(course, "title"), code));
    if (!title || !*title)
        title = json_string_value(json_object_get(json_object_get(course, "title"),
                                                  lang == LANG_ES ? "en" : "es"));
    const char *day = json_string_value(json_object_get(date, code));
    switch (s->kind) {
    case STEP_FAILED_MAIL:
        return arena_printf(req->a, tr(lang, key), s->count);
    case STEP_DECIDE:
    case STEP_INVITE:
    case STEP_UPDATES:
    case STEP_CERTIFICATES:
        return arena_printf(req->a, tr(lang, key), s->count, title ? title : "");
    case STEP_ATTENDANCE:
        return arena_printf(req->a, tr(lang, key), title ? title : "", day ? day : "");
    }
    return "";
}

static const char *step_link(request *req, const char *edition, const struct next_step *s,
                             const char *course)
{
    switch (s->kind) {
    case STEP_FAILED_MAIL:
        return "/admin/outbox";
    case STEP_DECIDE:
        return arena_printf(req->a, "/admin/events/%s/applications?course=%s&status=submitted",
                            edition, course);
    case STEP_INVITE: /* straight to the preview of the invitations */
        return arena_printf(req->a, "/admin/events/%s/courses/%s/invitations", edition, course);
    case STEP_UPDATES: /* the preview of the updates, for the whole edition */
        return arena_printf(req->a, "/admin/events/%s/invitation-updates", edition);
    case STEP_ATTENDANCE:
        return arena_printf(req->a, "/admin/events/%s/attendance?course=%s", edition, course);
    case STEP_CERTIFICATES:
        return arena_printf(req->a, "/admin/events/%s/certificates?course=%s", edition, course);
    }
    return "/admin";
}

/* Where an edition stands (counts per course) and what to do next. */
static bool add_progress(request *req, json_t *edition)
{
    const char *slug = json_string_value(json_object_get(edition, "slug"));
    json_t *progress = edition_progress(slug);
    if (!progress)
        return false;
    json_t *courses = json_object_get(progress, "courses");
    size_t nc = json_array_size(courses);
    struct course_progress *cp = arena_zalloc(req->a, (nc ? nc : 1) * sizeof *cp);
    if (!cp)
        return false;
    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        json_t *st = json_object_get(c, "status");
        json_t *days = json_object_get(c, "days");
        size_t nd = json_array_size(days);
        struct course_day_progress *dp = arena_zalloc(req->a, (nd ? nd : 1) * sizeof *dp);
        if (!dp)
            return false;
        size_t k, imported = 0;
        json_t *d;
        json_array_foreach(days, k, d) {
            dp[k].date = json_string_value(json_object_get(d, "date"));
            dp[k].imported = json_is_true(json_object_get(d, "imported"));
            imported += dp[k].imported;
        }
        long accepted = (long)json_integer_value(json_object_get(st, "accepted"));
        long registered = (long)json_integer_value(json_object_get(st, "registered"));
        cp[i] = (struct course_progress){
            .submitted = (long)json_integer_value(json_object_get(st, "submitted")),
            .registered = registered,
            .invited = (long)json_integer_value(json_object_get(c, "invited")),
            .certified = (long)json_integer_value(json_object_get(c, "certified")),
            .outdated = invitations_outdated_in(req, slug, json_string_value(json_object_get(c, "slug"))),
            .days = dp, .ndays = nd};
        json_object_set_new(c, "taken", json_integer(accepted + registered));
        json_object_set_new(c, "days_imported", json_integer((json_int_t)imported));
        json_object_set_new(c, "days_total", json_integer((json_int_t)nd));
    }
    /* Today in the edition's zone: a day's report is due once it is over. */
    char today[11] = "0000-00-00";
    struct tm tm;
    if (utc_to_local(json_string_value(json_object_get(edition, "time_zone")), time(NULL), &tm))
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
    struct next_step steps[32];
    long failed = (long)json_integer_value(json_object_get(progress, "failed_messages"));
    size_t n = next_steps(cp, nc, failed, today, steps, 32);
    if (n > 32)
        n = 32;
    json_t *list = json_array();
    for (size_t k = 0; k < n; k++) {
        json_t *course = json_array_get(courses, steps[k].course);
        const char *cslug = json_string_value(json_object_get(course, "slug"));
        json_t *date = steps[k].date ? date_label(steps[k].date) : NULL;
        json_array_append_new(list, json_pack("{s:{s:s, s:s}, s:s, s:b}", "text",
            "es", step_text(req, LANG_ES, &steps[k], course, date),
            "en", step_text(req, LANG_EN, &steps[k], course, date),
            "href", step_link(req, slug, &steps[k], cslug ? cslug : ""),
            "urgent", steps[k].kind == STEP_FAILED_MAIL));
        json_decref(date);
    }
    /* Evaluation items whose mean is low (their own thresholds). */
    json_array_extend(list, evaluation_low_items(req, slug));
    json_object_set_new(edition, "courses", json_incref(courses));
    json_object_set_new(edition, "next_steps", list);
    json_object_set_new(edition, "failed_messages", json_integer(failed));
    json_decref(progress);
    return true;
}

void admin_home(request *req, response *res)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("admin.title"));
    json_t *eds = edition_list(true);
    bool coordinator = req->user.role >= ROLE_COORDINATOR;
    size_t i;
    json_t *e;
    json_array_foreach(eds, i, e) {
        const char *slug = json_string_value(json_object_get(e, "slug"));
        json_object_set_new(e, "admin_url", json_sprintf("/admin/events/%s", slug));
        json_object_set_new(e, "status_label", bilingual_tr(arena_printf(req->a, "edition_status.%s",
            json_string_value(json_object_get(e, "status")))));
        json_object_set_new(e, "dates", range_label(json_string_value(json_object_get(e, "starts_on")),
                                                    json_string_value(json_object_get(e, "ends_on"))));
        if (coordinator && !add_progress(req, e)) {
            res_error(req, res, 503, "error.busy");
            return;
        }
    }
    json_object_set_new(data, "editions", eds);
    /* Trainers see only what they may use: the material of their courses. */
    json_object_set_new(data, "is_coordinator", json_boolean(coordinator));
    json_object_set_new(data, "is_admin", json_boolean(req->user.role >= ROLE_ADMIN));
    res_page(req, res, 200, "admin_home", data);
    res->no_store = true;
}

void admin_edition(request *req, response *res)
{
    json_t *p = programme_load(req_param(req, "slug"), true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_object_set(p, "page_title", json_object_get(json_object_get(p, "edition"), "title"));
    json_object_set_new(p, "csrf", json_string(csrf_token(req, res)));
    /* Schedule changes leave invitations out of date: their updates go out
     * from a preview and a confirmation, offered here. */
    int outdated = invitations_outdated(req, req_param(req, "slug"));
    if (outdated)
        json_object_set_new(p, "outdated_invitations", json_integer(outdated));
    /* Names for the people on sessions and courses, and the list to pick
     * from (under a name no item uses, so nested sections find it). */
    json_t *e = json_object_get(p, "edition"), *names = json_object(), *all = json_array();
    size_t i, j, k, l, m;
    json_t *x, *c, *d, *b, *s;
    /* Each item says what kind it is, for the shared reorder/delete forms
     * (templates/admin_reorder.html). */
    json_array_foreach(json_object_get(e, "institutions"), i, x)
        json_object_set_new(x, "admin_kind", json_string("institution"));
    json_array_foreach(json_object_get(e, "people"), i, x) {
        json_object_set_new(x, "admin_kind", json_string("person"));
        json_object_set(names, json_string_value(json_object_get(x, "slug")), json_object_get(x, "name"));
        json_array_append_new(all, json_pack("{s:O, s:O}", "person_id", json_object_get(x, "id"),
                                             "person_name", json_object_get(x, "name")));
    }
    json_object_set_new(p, "all_people", all);
    json_array_foreach(json_object_get(e, "courses"), i, c) {
        json_object_set_new(c, "admin_kind", json_string("course"));
        json_array_foreach(json_object_get(c, "trainer_items"), j, x)
            json_object_set(x, "person_name", json_object_get(names, json_string_value(json_object_get(x, "slug"))));
        json_array_foreach(json_object_get(c, "days"), j, d) {
            json_object_set_new(d, "date_label", date_label(json_string_value(json_object_get(d, "date"))));
            json_array_foreach(json_object_get(d, "blocks"), k, b) {
                json_array_foreach(json_object_get(b, "sessions"), l, s) {
                    json_object_set_new(s, "admin_kind", json_string("session"));
                    json_array_foreach(json_object_get(s, "topic_items"), m, x)
                        json_object_set_new(x, "admin_kind", json_string("topic"));
                    json_array_foreach(json_object_get(s, "people"), m, x) {
                        json_object_set(x, "person_name", json_object_get(names, json_string_value(json_object_get(x, "person"))));
                        char key[32];
                        snprintf(key, sizeof key, "choice.%s", json_string_value(json_object_get(x, "role")));
                        json_object_set_new(x, "role_label", bilingual_tr(key));
                    }
                }
            }
        }
    }
    const char *saved = req_query(req, "saved");
    if (saved)
        json_object_set_new(p, "saved", json_true());
    res_page(req, res, 200, "admin_edition", p);
    res->no_store = true;
}

static int64_t id_param(request *req, const char *name)
{
    const char *s = req_param(req, name);
    if (!s)
        s = req_query(req, name);
    if (!s)
        return 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    return (*end || v <= 0) ? 0 : (int64_t)v;
}

static const char *input_type(validator v)
{
    switch (v) {
    case V_TEXT: return "textarea";
    case V_DATE: return "date";
    case V_TIME: return "time";
    case V_DATETIME: return "datetime-local";
    case V_INT: return "number";
    case V_CHOICE: return "select";
    case V_EMAIL: return "email";
    case V_URL: return "url";
    default: return "text";
    }
}

/* The form's fields with their labels, values and errors; values come from
 * the stored row (row) or from what was submitted (f), in that order. */
static json_t *form_fields(const struct admin_entity *ent, json_t *row,
                           const struct form_values *f)
{
    json_t *fields = json_array();
    for (size_t i = 0; i < ent->form.n; i++) {
        const struct field_spec *fs = &ent->form.fields[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(fs->name));
        char key[64];
        snprintf(key, sizeof key, "field.%s", fs->name);
        json_object_set_new(o, "label", bilingual_tr(key));
        const char *type = input_type(fs->v);
        json_object_set_new(o, "type", json_string(type));
        json_object_set_new(o, strcmp(type, "textarea") == 0 ? "is_textarea"
                               : strcmp(type, "select") == 0 ? "is_select"
                                                             : "is_input",
                            json_true());
        if (fs->required)
            json_object_set_new(o, "required", json_true());
        const char *value = "";
        if (f && f->spec)
            value = form_str(f, fs->name);
        else if (row) {
            json_t *v = json_object_get(row, fs->name);
            if (json_is_string(v))
                value = json_string_value(v);
            else if (json_is_integer(v))
                value = json_string_value(json_sprintf("%lld", (long long)json_integer_value(v)));
        }
        json_object_set_new(o, "value", json_string(value ? value : ""));
        if (f && f->spec && form_get(f, fs->name)->error)
            json_object_set_new(o, "field_error", bilingual_tr(form_get(f, fs->name)->error));
        if (fs->v == V_CHOICE) {
            json_t *opts = json_array();
            for (const char *const *c = fs->choices; *c; c++) {
                char ok[80];
                snprintf(ok, sizeof ok, "choice.%s", *c);
                json_array_append_new(opts, json_pack("{s:s, s:o, s:b}", "value", *c, "label",
                                                      bilingual_tr(ok), "selected",
                                                      value && strcmp(value, *c) == 0));
            }
            json_object_set_new(o, "options", opts);
        }
        json_array_append_new(fields, o);
    }
    return fields;
}

static void show_form(request *req, response *res, int status, const struct admin_entity *ent,
                      int64_t id, int64_t parent, json_t *row, const struct form_values *f,
                      const char *error_key)
{
    json_t *data = json_object();
    char key[64];
    snprintf(key, sizeof key, "kind.%s", ent->def.kind);
    json_object_set_new(data, "kind_label", bilingual_tr(key));
    json_object_set_new(data, "page_title", bilingual_tr(id ? "admin.edit" : "admin.new"));
    json_object_set_new(data, "fields", form_fields(ent, row, f));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(data, "action",
                        id ? json_sprintf("/admin/%s/%lld/edit", ent->def.kind, (long long)id)
                           : json_sprintf("/admin/%s/new", ent->def.kind));
    if (!id)
        json_object_set_new(data, "parent", json_integer(parent));
    if (error_key)
        json_object_set_new(data, "error", bilingual_tr(error_key));
    char slug[128];
    if ((id && entity_edition_slug(&ent->def, id, slug, sizeof slug)) ||
        (!id && ent->parent_kind &&
         entity_edition_slug(&admin_entity(ent->parent_kind)->def, parent, slug, sizeof slug)))
        json_object_set_new(data, "back", json_sprintf("/admin/events/%s", slug));
    else
        json_object_set_new(data, "back", json_string("/admin"));
    res_page(req, res, status, "admin_form", data);
    res->no_store = true;
}

void admin_edit_form(request *req, response *res)
{
    const struct admin_entity *ent = admin_entity(req_param(req, "kind"));
    int64_t id = id_param(req, "id");
    json_t *row = ent && id ? entity_load(&ent->def, id) : NULL;
    if (!row) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    show_form(req, res, 200, ent, id, 0, row, NULL, NULL);
}

void admin_new_form(request *req, response *res)
{
    const struct admin_entity *ent = admin_entity(req_param(req, "kind"));
    int64_t parent = id_param(req, "parent");
    if (!ent || (ent->parent_kind && !entity_load(&admin_entity(ent->parent_kind)->def, parent))) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    show_form(req, res, 200, ent, 0, parent, NULL, NULL, NULL);
}

/* Validated values in column order; empty optional fields become NULL. */
static const char **column_values(request *req, const struct admin_entity *ent,
                                  const struct form_values *f)
{
    const char **values = arena_zalloc(req->a, (ent->form.n + 1) * sizeof *values);
    for (size_t i = 0; values && i < ent->form.n; i++) {
        const char *s = form_str(f, ent->form.fields[i].name);
        values[i] = *s ? s : NULL;
    }
    return values;
}

/* After a change: the cached pages are dropped, and the person goes back to
 * the item in its edition (or to the console's start). */
static void after_write(request *req, response *res, const struct admin_entity *ent, int64_t id,
                        int64_t fallback_parent)
{
    char slug[128];
    programme_changed();
    if (entity_edition_slug(&ent->def, id, slug, sizeof slug) ||
        (fallback_parent && ent->parent_kind &&
         entity_edition_slug(&admin_entity(ent->parent_kind)->def, fallback_parent, slug,
                             sizeof slug)))
        res_redirect(req, res, arena_printf(req->a, "/admin/events/%s?saved=1#%s-%lld", slug,
                                       ent->def.kind, (long long)id));
    else
        res_redirect(req, res, "/admin");
}

static void write_failed(request *req, response *res, const struct admin_entity *ent, int64_t id,
                         int64_t parent, struct form_values *f, const struct app_err *err)
{
    if (err->kind == APP_INVALID || err->kind == APP_CONFLICT)
        show_form(req, res, page_status_of(err->kind), ent, id, parent, NULL, f, err->key);
    else
        res_error(req, res, page_status_of(err->kind), err->key);
}

void admin_edit(request *req, response *res)
{
    const struct admin_entity *ent = admin_entity(req_param(req, "kind"));
    int64_t id = id_param(req, "id");
    if (!ent || !id || !entity_load(&ent->def, id)) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    struct form_values f;
    form_validate(req->a, &ent->form, &req->raw, &f);
    if (!f.ok) {
        show_form(req, res, 422, ent, id, 0, NULL, &f, "error.form");
        return;
    }
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!programme_item_update(&ctx, &ent->def, id, column_values(req, ent, &f), &err)) {
        write_failed(req, res, ent, id, 0, &f, &err);
        return;
    }
    after_write(req, res, ent, id, 0);
}

void admin_create(request *req, response *res)
{
    const struct admin_entity *ent = admin_entity(req_param(req, "kind"));
    static const struct field_spec parent_field[] = {
        {.name = "parent", .v = V_INT, .min = 0, .max = INT64_MAX},
    };
    static const struct form_spec parent_spec = FORM_SPEC(parent_field);
    struct form_values pv;
    form_validate(req->a, &parent_spec, &req->raw, &pv);
    int64_t parent = form_int(&pv, "parent");
    if (!ent || (ent->parent_kind && !entity_load(&admin_entity(ent->parent_kind)->def, parent))) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    struct form_values f;
    form_validate(req->a, &ent->form, &req->raw, &f);
    if (!f.ok) {
        show_form(req, res, 422, ent, 0, parent, NULL, &f, "error.form");
        return;
    }
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    int64_t id = 0;
    if (!programme_item_create(&ctx, &ent->def,
                               ent->parent_kind ? &admin_entity(ent->parent_kind)->def : NULL,
                               parent, column_values(req, ent, &f), &id, &err)) {
        /* An edition's form keeps the organisation as its parent. */
        write_failed(req, res, ent, 0, ent->parent_kind ? parent : 1, &f, &err);
        return;
    }
    after_write(req, res, ent, id, ent->parent_kind ? parent : 1);
}

void admin_delete(request *req, response *res)
{
    const struct admin_entity *ent = admin_entity(req_param(req, "kind"));
    int64_t id = id_param(req, "id");
    char slug[128] = "";
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!ent || !id) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    if (!programme_item_delete(&ctx, &ent->def, id, slug, sizeof slug, &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    programme_changed();
    res_redirect(req, res, strcmp(ent->def.kind, "edition") == 0
                          ? "/admin"
                          : arena_printf(req->a, "/admin/events/%s?saved=1", slug));
}

void admin_move(request *req, response *res)
{
    const struct admin_entity *ent = admin_entity(req_param(req, "kind"));
    int64_t id = id_param(req, "id");
    const char *dir = form_str(&req->form, "dir");
    char slug[128];
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!ent || !id || !*dir) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    if (!programme_item_move(&ctx, &ent->def, id, strcmp(dir, "up") == 0, slug, sizeof slug,
                             &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    programme_changed();
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s#%s-%lld", slug, ent->def.kind,
                                   (long long)id));
}

static const char *const assign_actions[] = {"add", "remove", NULL};
static const struct field_spec assign_fields[] = {
    {.name = "person", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "role", .v = V_CHOICE, .choices = programme_person_roles},
    {.name = "action", .v = V_CHOICE, .required = true, .choices = assign_actions},
};
const struct form_spec assign_form = FORM_SPEC(assign_fields);

/* POST /admin/session/{id}/people and /admin/course/{id}/trainers: who
 * speaks, moderates or teaches. */
void admin_assign(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *kind = req_param(req, "kind");
    int64_t id = id_param(req, "id"), person = form_int(f, "person");
    bool add = strcmp(form_str(f, "action"), "add") == 0;
    const struct admin_entity *ent = admin_entity(kind);
    char slug[128];
    if (!f->ok || !ent) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (!programme_assign(&ctx, &ent->def, id, person, form_str(f, "role"), add, slug,
                          sizeof slug, &err)) {
        res_error(req, res, page_status_of(err.kind), err.key);
        return;
    }
    programme_changed();
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s?saved=1#%s-%lld", slug, kind, (long long)id));
}

static const char *const directions[] = {"up", "down", NULL};
static const struct field_spec move_fields[] = {
    {.name = "dir", .v = V_CHOICE, .required = true, .choices = directions},
};
const struct form_spec move_form = FORM_SPEC(move_fields);

/* An audit subject in words: an edition or course by its title, "a/b" as
 * both titles, "kind:12" as the kind's name and its number. */
static json_t *audit_subject(request *req, json_t *titles, const char *subject)
{
    if (!subject)
        return json_string("");
    json_t *title = json_object_get(titles, subject);
    if (title)
        return json_incref(title);
    const char *slash = strchr(subject, '/');
    if (slash) {
        json_t *a = json_object_get(titles, arena_strndup(req->a, subject, (size_t)(slash - subject)));
        json_t *b = json_object_get(titles, slash + 1);
        if (a && b) {
            int f;
            const char *aes = bilingual_text(a, LANG_ES, &f), *aen = bilingual_text(a, LANG_EN, &f);
            const char *bes = bilingual_text(b, LANG_ES, &f), *ben = bilingual_text(b, LANG_EN, &f);
            return json_pack("{s:s, s:s}", "es",
                             arena_printf(req->a, "%s · %s", aes ? aes : "", bes ? bes : ""), "en",
                             arena_printf(req->a, "%s · %s", aen ? aen : "", ben ? ben : ""));
        }
    }
    const char *colon = strchr(subject, ':');
    if (colon && colon[1] >= '0' && colon[1] <= '9') {
        const char *key = arena_printf(req->a, "kind.%.*s", (int)(colon - subject), subject);
        if (key && tr_has(LANG_ES, key) && tr_has(LANG_EN, key))
            return json_pack("{s:s, s:s}", "es", arena_printf(req->a, "%s %s", tr(LANG_ES, key), colon + 1),
                             "en", arena_printf(req->a, "%s %s", tr(LANG_EN, key), colon + 1));
    }
    return word_of(req, "audit.subject", subject);
}

/* A decision's detail, "course: submitted -> accepted", in words. */
static json_t *decision_detail(request *req, json_t *titles, const char *detail)
{
    const char *colon = strstr(detail, ": "), *arrow = strstr(detail, " -> ");
    if (!colon || !arrow || arrow < colon)
        return NULL;
    json_t *course = json_object_get(titles, arena_strndup(req->a, detail, (size_t)(colon - detail)));
    const char *from = arena_printf(req->a, "status.%.*s", (int)(arrow - colon - 2), colon + 2);
    const char *to = arena_printf(req->a, "status.%s", arrow + 4);
    if (!course || !from || !to || !tr_has(LANG_ES, from) || !tr_has(LANG_ES, to))
        return NULL;
    int f;
    const char *es = bilingual_text(course, LANG_ES, &f), *en = bilingual_text(course, LANG_EN, &f);
    return json_pack("{s:s, s:s}", "es",
                     arena_printf(req->a, "%s: %s → %s", es ? es : "", tr(LANG_ES, from), tr(LANG_ES, to)),
                     "en",
                     arena_printf(req->a, "%s: %s → %s", en ? en : "", tr(LANG_EN, from), tr(LANG_EN, to)));
}

/* The details the attendance and certificate operations write as English
 * sentences ("4 rows from day1.csv", "\"x\" is not a participant",
 * "2 issued"), in the reader's words; NULL for any other detail. */
static json_t *sentence_detail(request *req, const char *action, const char *detail)
{
    const char *key = NULL, *a = NULL, *b = NULL;
    unsigned long long n;
    int end = 0;
    if (strcmp(action, "attendance.import") == 0 && sscanf(detail, "%llu rows from %n", &n, &end) == 1 &&
        end > 0) {
        key = "audit.detail_rows";
        a = arena_printf(req->a, "%llu", n);
        b = detail + end;
    } else if (strcmp(action, "certificates.issue") == 0 && sscanf(detail, "%llu issued%n", &n, &end) == 1 &&
               detail[end] == '\0') {
        key = "audit.detail_issued";
        a = arena_printf(req->a, "%llu", n);
    } else if (strcmp(action, "attendance.match") == 0 && detail[0] == '"') {
        const char *close = strrchr(detail, '"');
        if (close && close > detail) {
            a = arena_strndup(req->a, detail + 1, (size_t)(close - detail - 1));
            if (strcmp(close, "\" is not a participant") == 0)
                key = "audit.detail_not_participant";
            else if (sscanf(close, "\" is application %llu%n", &n, &end) == 1 && close[end] == '\0') {
                key = "audit.detail_is_application";
                b = arena_printf(req->a, "%llu", n);
            }
        }
    }
    if (!key || !a)
        return NULL;
    const char *es = arena_printf(req->a, tr(LANG_ES, key), a, b ? b : "");
    const char *en = arena_printf(req->a, tr(LANG_EN, key), a, b ? b : "");
    return es && en ? json_pack("{s:s, s:s}", "es", es, "en", en) : NULL;
}

void admin_audit(request *req, response *res)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("admin.audit"));
    json_t *entries = audit_recent(500);
    size_t i;
    json_t *e;
    /* Editions and courses by their titles, not their slugs. */
    json_t *titles = json_object(), *ed;
    json_array_foreach(edition_list(true), i, ed) {
        const char *slug = json_string_value(json_object_get(ed, "slug"));
        json_t *p = slug ? programme_load(slug, false) : NULL;
        json_t *edition = json_object_get(p, "edition"), *c;
        size_t k;
        if (edition)
            json_object_set(titles, slug, json_object_get(edition, "title"));
        json_array_foreach(json_object_get(edition, "courses"), k, c) {
            const char *cs = json_string_value(json_object_get(c, "slug"));
            if (cs)
                json_object_set(titles, cs, json_object_get(c, "title"));
        }
    }
    /* Words, not the stored keys ("account.add", "coordinator"). */
    json_array_foreach(entries, i, e) {
        const char *action = json_string_value(json_object_get(e, "action"));
        const char *detail = json_string_value(json_object_get(e, "detail"));
        json_object_set_new(e, "at", when_of(json_string_value(json_object_get(e, "at"))));
        json_object_set_new(e, "action", word_of(req, "audit.action", action));
        json_object_set_new(e, "subject", audit_subject(req, titles,
                                                        json_string_value(json_object_get(e, "subject"))));
        json_t *title = detail ? json_object_get(titles, detail) : NULL;
        json_t *decision = detail && !title ? decision_detail(req, titles, detail) : NULL;
        json_t *sentence = detail && action && !title && !decision ? sentence_detail(req, action, detail) : NULL;
        if (title)
            json_object_set(e, "detail", title);
        else if (decision)
            json_object_set_new(e, "detail", decision);
        else if (sentence)
            json_object_set_new(e, "detail", sentence);
        else if (detail && action && strncmp(action, "account.", 8) == 0)
            json_object_set_new(e, "detail", word_of(req, "role", detail));
        else if (detail)
            json_object_set_new(e, "detail", word_of(req, "audit.detail", detail));
    }
    json_object_set_new(data, "entries", entries);
    res_page(req, res, 200, "admin_audit", data);
    res->no_store = true;
}
