/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The console's side of invitations, their updates and resending a
 * message: previews and confirmations around the operations of
 * app/invitations.c. */
#include <stdio.h>
#include <string.h>

#include "../app/invitations.h"
#include "../app/messages.h"
#include "../app/courses.h"
#include "../base/escape.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../docs/ics.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "bulk_confirm.h"
#include "invitations.h"
#include "render.h"
#include "programme_view.h"

static const struct field_spec invitations_fields[] = {
    {.name = "token", .v = V_TOKEN, .max_len = 64},
    {.name = "list", .v = V_TOKEN, .max_len = 64},
};
const struct form_spec invitations_form = FORM_SPEC(invitations_fields);

/* Who would be invited, and the invitation in each language (the join
 * link masked, as the outbox shows it), with the confirmation. */
static void invitations_preview(request *req, response *res, int status, const char *notice_key,
                                json_t *p, json_t *course)
{
    const char *slug = req_param(req, "slug"), *cslug = req_param(req, "course");
    const char *back = arena_printf(req->a, "/admin/events/%s/applications", slug);
    json_t *page = confirm_page(req, res, "bulk.invite_title",
                                arena_printf(req->a, "/admin/events/%s/courses/%s/invitations",
                                             slug, cslug),
                                back, "bulk.invite_confirm");
    json_object_set(page, "about", json_object_get(course, "title"));
    json_object_set_new(page, "about_label", json_string(tr(req->lang, "bulk.course")));
    if (notice_key)
        json_object_set_new(page, "notice", bilingual_tr(notice_key));
    json_t *sample[2] = {NULL, NULL}, *first = NULL,
           *invitees = app_invitations_pending(slug, cslug);
    size_t i;
    json_t *inv;
    json_array_foreach(invitees, i, inv) {
        json_t *app = application_load(json_integer_value(json_object_get(inv, "application_id")));
        if (!app)
            continue;
        const char *lang = json_string_value(json_object_get(app, "language"));
        confirm_recipient(page, arena_printf(req->a, "%s %s",
                                             json_string_value(json_object_get(app, "given_names")),
                                             json_string_value(json_object_get(app, "family_names"))),
                          json_string_value(json_object_get(app, "email")), lang);
        json_object_set(app, "_enrolment", json_object_get(inv, "enrolment_id"));
        int l = lang && strcmp(lang, "en") == 0;
        if (!sample[l])
            sample[l] = app;
        if (!first)
            first = app;
    }
    confirm_hidden(page, "list", confirm_fingerprint(req, invitees, "enrolment_id"));
    struct app_ctx c = page_ctx(req);
    for (int l = 0; l < 2 && first; l++) {
        lang_t lang = l ? LANG_EN : LANG_ES;
        struct message m = {0};
        if (app_invitation_preview(&c, p, course, sample[l] ? sample[l] : first, lang, false, &m))
            confirm_preview(req, page, lang, &m);
    }
    confirm_show(req, res, status, page,
                 app_course_has_days(course) ? "bulk.invite_nothing" : "bulk.invite_no_days");
}

static json_t *course_of_request(request *req, response *res, json_t **p)
{
    *p = programme_view(req_param(req, "slug"), 1);
    json_t *course = *p ? programme_course(*p, req_param(req, "course")) : NULL;
    if (!course)
        res_error(req, res, 404, "error.no_course");
    return course;
}

/* GET /admin/events/{slug}/courses/{course}/invitations: the preview. */
void admin_invitations_preview(request *req, response *res)
{
    json_t *p, *course = course_of_request(req, res, &p);
    if (course)
        invitations_preview(req, res, 200, NULL, p, course);
}

/* POST /admin/events/{slug}/courses/{course}/invitations: with the
 * confirmation's token, invites the participants the preview listed, as
 * one batch, then shows its progress.  When the list changed since (a
 * colleague invited them, someone registered or withdrew) nothing is sent
 * and the new preview says so; the same confirmation twice sends once. */
void admin_send_invitations(request *req, response *res)
{
    const char *slug = req_param(req, "slug"), *cslug = req_param(req, "course");
    json_t *p, *course = course_of_request(req, res, &p);
    if (!course)
        return;
    const struct form_values *f = &req->form;
    const char *token = form_str(f, "token");
    if (!f->ok || !*token) {
        invitations_preview(req, res, 200, NULL, p, course);
        return;
    }
    const char *back = arena_printf(req->a, "/admin/events/%s/courses/%s/invitations", slug, cslug);
    if (!bulk_once(req, res, "invitations", token, back))
        return;
    json_t *invitees = app_invitations_pending(slug, cslug);
    if (strcmp(form_str(f, "list"), confirm_fingerprint(req, invitees, "enrolment_id")) != 0) {
        bulk_done(token, back);
        invitations_preview(req, res, 409, "bulk.stale_list", p, course);
        return;
    }
    char batch[20];
    app_batch_id(batch);
    struct app_ctx c = page_ctx(req);
    int queued = app_invitations_send(&c, p, course, invitees, false, batch);
    if (!queued) {
        bulk_done(token, back);
        invitations_preview(req, res, 200, NULL, p, course);
        return;
    }
    const char *done = arena_printf(req->a, "/admin/batches/%s", batch);
    bulk_done(token, done);
    res_redirect(req, res, done);
}

int invitations_outdated(request *req, const char *slug)
{
    json_t *p;
    struct app_ctx c = page_ctx(req);
    return (int)json_array_size(app_invitations_outdated(&c, slug, &p));
}

int invitations_outdated_in(request *req, const char *slug, const char *course)
{
    json_t *p, *inv;
    size_t i;
    int n = 0;
    struct app_ctx ctx = page_ctx(req);
    json_array_foreach(app_invitations_outdated(&ctx, slug, &p), i, inv) {
        const char *c = json_string_value(json_object_get(inv, "course"));
        n += course && c && strcmp(c, course) == 0;
    }
    return n;
}

/* Who would receive an update of their invitation after schedule changes,
 * and the update in each language, with the confirmation. */
static void updates_preview(request *req, response *res, int status, const char *notice_key)
{
    const char *slug = req_param(req, "slug");
    struct app_ctx c = page_ctx(req);
    json_t *p, *rows = app_invitations_outdated(&c, slug, &p);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    const char *back = arena_printf(req->a, "/admin/events/%s", slug);
    json_t *page = confirm_page(req, res, "bulk.updates_title",
                                arena_printf(req->a, "/admin/events/%s/invitation-updates", slug),
                                back, "bulk.updates_confirm");
    if (notice_key)
        json_object_set_new(page, "notice", bilingual_tr(notice_key));
    json_t *sample[2] = {NULL, NULL}, *first = NULL;
    size_t i;
    json_t *inv;
    json_array_foreach(rows, i, inv) {
        json_t *app = application_load(json_integer_value(json_object_get(inv, "application_id")));
        if (!app)
            continue;
        const char *lang = json_string_value(json_object_get(app, "language"));
        confirm_recipient(page, arena_printf(req->a, "%s %s",
                                             json_string_value(json_object_get(app, "given_names")),
                                             json_string_value(json_object_get(app, "family_names"))),
                          json_string_value(json_object_get(app, "email")), lang);
        json_object_set(app, "_enrolment", json_object_get(inv, "enrolment_id"));
        json_object_set(app, "_course", json_object_get(inv, "_course"));
        int l = lang && strcmp(lang, "en") == 0;
        if (!sample[l])
            sample[l] = app;
        if (!first)
            first = app;
    }
    confirm_hidden(page, "list", confirm_fingerprint(req, rows, "enrolment_id"));
    for (int l = 0; l < 2 && first; l++) {
        lang_t lang = l ? LANG_EN : LANG_ES;
        json_t *app = sample[l] ? sample[l] : first;
        struct message m = {0};
        if (app_invitation_preview(&c, p, json_object_get(app, "_course"), app, lang, true, &m))
            confirm_preview(req, page, lang, &m);
    }
    confirm_show(req, res, status, page, "bulk.updates_nothing");
}

/* GET /admin/events/{slug}/invitation-updates: the preview. */
void admin_updates_preview(request *req, response *res)
{
    updates_preview(req, res, 200, NULL);
}

/* POST /admin/events/{slug}/invitation-updates: after schedule changes,
 * every invitation whose schedule differs gets an update with the same UID
 * and the next SEQUENCE, once confirmed (and once only). */
void admin_send_updates(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    const struct form_values *f = &req->form;
    const char *token = form_str(f, "token");
    if (!f->ok || !*token) {
        updates_preview(req, res, 200, NULL);
        return;
    }
    const char *back = arena_printf(req->a, "/admin/events/%s/invitation-updates", slug);
    if (!bulk_once(req, res, "invitation.updates", token, back))
        return;
    struct app_ctx c = page_ctx(req);
    json_t *p, *rows = app_invitations_outdated(&c, slug, &p);
    if (!p || strcmp(form_str(f, "list"), confirm_fingerprint(req, rows, "enrolment_id")) != 0) {
        bulk_done(token, back);
        updates_preview(req, res, p ? 409 : 404, "bulk.stale_list");
        return;
    }
    char batch[20];
    app_batch_id(batch);
    int queued = app_invitations_send(&c, p, NULL, rows, true, batch);
    if (!queued) {
        bulk_done(token, back);
        updates_preview(req, res, 200, NULL);
        return;
    }
    const char *done = arena_printf(req->a, "/admin/batches/%s", batch);
    bulk_done(token, done);
    res_redirect(req, res, done);
}

/* GET /admin/batches/{batch}: progress of a bulk sending (also as JSON for
 * the progress bar's script). */
void admin_batch(request *req, response *res)
{
    json_t *progress = outbox_batch_progress(req_param(req, "batch"));
    if (!progress || !json_integer_value(json_object_get(progress, "total"))) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    /* The title says what the batch sends. */
    const char *kind = json_string_value(json_object_get(progress, "kind"));
    json_object_set_new(progress, "page_title", bilingual_tr(
        kind && strcmp(kind, "certificate") == 0 ? "batch.title_certificates"
        : kind && strncmp(kind, "invitation", 10) == 0 ? "batch.title" : "batch.title_messages"));
    json_object_set_new(progress, "batch", json_string(req_param(req, "batch")));
    json_object_set_new(progress, "csrf", json_string(csrf_token(req, res)));
    res_page(req, res, 200, "admin_batch", progress);
    res->no_store = true;
}

static const struct field_spec resend_fields[] = {
    {.name = "id", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "token", .v = V_TOKEN, .max_len = 64},
};
const struct form_spec resend_form = FORM_SPEC(resend_fields);

/* POST /admin/outbox/resend: a message that failed, shown as it will be
 * sent again (its link masked) with a confirmation; with the
 * confirmation's token it is queued again, once however often the
 * confirmation is submitted.  Only a failed message can be resent. */
void admin_resend(request *req, response *res)
{
    int64_t id = form_int(&req->form, "id");
    const char *token = form_str(&req->form, "token");
    if (!req->form.ok) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    if (*token) {
        if (!bulk_once(req, res, "mail.resend", token, "/admin/outbox"))
            return;
        struct app_ctx c = page_ctx(req);
        struct app_err err;
        bool ok = app_outbox_resend(&c, id, &err);
        bulk_done(token, "/admin/outbox");
        if (!ok) {
            res_error(req, res, page_status_of(err.kind), err.key);
            return;
        }
        res_redirect(req, res, "/admin/outbox");
        return;
    }
    json_t *m = outbox_message(id);
    if (!m || strcmp(json_string_value(json_object_get(m, "status")), "failed") != 0) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    json_t *page = confirm_page(req, res, "outbox.resend_title", "/admin/outbox/resend",
                                "/admin/outbox", "outbox.resend_confirm");
    confirm_hidden(page, "id", arena_printf(req->a, "%lld", (long long)id));
    const char *language = json_string_value(json_object_get(m, "language"));
    confirm_recipient(page, json_string_value(json_object_get(m, "to_name")),
                      json_string_value(json_object_get(m, "to")), language);
    struct message shown = {
        .subject = json_string_value(json_object_get(m, "subject")),
        .body_text = json_string_value(json_object_get(m, "body")),
    };
    confirm_preview(req, page, lang_parse(language) == LANG_EN ? LANG_EN : LANG_ES, &shown);
    confirm_show(req, res, 200, page, "error.not_found");
}
