/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The messages Aula queues, rendered in the recipient's language (see
 * messages.h).
 *
 * Why the storage layer calls app_message back instead of receiving a
 * message already drawn: what a message says is decided inside the store's
 * transaction (the outcome of a decision and the places it freed, a sign-in
 * link's token made there), so it can only be drawn after the change and
 * before the commit.  The operation hands its renderer with its context to
 * the store (message_fn); the store knows neither app nor pages. */
#include "messages.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../base/escape.h"
#include "../base/strbuf.h"
#include "../domain/address.h"
#include "../store/application_store.h"
#include "../view/mail_view.h"
#include "../view/views.h"

const char *app_ctx_origin(const struct app_ctx *c)
{
    if (c->origin && *c->origin)
        return c->origin;
    const char *o = app_origin();
    return o && *o ? o : "http://localhost";
}

static json_t *course_title(json_t *app, const char *slug)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        if (slug && strcmp(json_string_value(json_object_get(e, "course")), slug) == 0)
            return json_object_get(e, "course_title");
    }
    return NULL;
}

bool app_render_mail(const struct app_ctx *c, const char *name, json_t *data, lang_t lang,
                     struct message *m)
{
    /* "decision.accepted" is mail_decision_accepted.*: only the name's dots. */
    char file[64];
    snprintf(file, sizeof file, "%s", name);
    for (char *p = file; *p; p++)
        if (*p == '.')
            *p = '_';
    struct mail_text t;
    if (!mail_view_render(c->a, file, data, lang, &t))
        return false;
    m->subject = t.subject;
    m->body_text = t.body_text;
    m->body_html = t.body_html;
    m->language = lang_code(lang);
    /* A link's token ("secret" in the data) is kept out of the stored text. */
    m->secret = json_string_value(json_object_get(data, "secret"));
    return true;
}

/* force: a language to draw the message in instead of the recipient's
 * (previews), or -1. */
static bool message_in(const struct app_ctx *c, const char *kind, int64_t application_id,
                       json_t *extra, int force, struct message *out)
{
    json_t *data = json_object();
    lang_t lang = c->lang;
    const char *to = NULL, *to_name = NULL, *reply_to = NULL;
    const char *origin = app_ctx_origin(c);
    if (application_id) {
        json_t *app = application_load(application_id);
        if (!app)
            return false;
        lang = lang_parse(json_string_value(json_object_get(app, "language"))) == LANG_EN
                   ? LANG_EN : LANG_ES;
        if (force >= 0)
            lang = (lang_t)force;
        to = json_string_value(json_object_get(app, "email"));
        to_name = arena_printf(c->a, "%s %s",
                               json_string_value(json_object_get(app, "given_names")),
                               json_string_value(json_object_get(app, "family_names")));
        json_object_set_new(data, "name", json_string(full_name(c->a, lang, app)));
        json_object_set(data, "edition_title", json_object_get(app, "edition_title"));
        json_object_set(data, "application", app);
        /* Words that agree with the gender the applicant gave ("aceptada"),
         * the neutral form otherwise. */
        const char *gender = json_string_value(json_object_get(app, "gender"));
        bool female = gender && strcmp(gender, "female") == 0;
        bool male = gender && strcmp(gender, "male") == 0;
        json_object_set_new(data, "female", json_boolean(female));
        json_object_set_new(data, "male", json_boolean(male));
        json_object_set_new(data, "neutral", json_boolean(!female && !male));
        reply_to = json_string_value(json_object_get(app, "contact_email"));
        const char *edition = json_string_value(json_object_get(app, "edition"));
        json_object_set_new(data, "me_url", json_sprintf("%s/me", origin));
        json_object_set_new(data, "register_url",
                            json_sprintf("%s/me/applications/%lld/register", origin,
                                         (long long)application_id));
        json_object_set_new(data, "edition_url", json_sprintf("%s/events/%s", origin, edition));
    }
    if (extra) {
        const char *course = json_string_value(json_object_get(extra, "course"));
        json_t *title = course && application_id
                            ? course_title(json_object_get(data, "application"), course) : NULL;
        if (title)
            json_object_set(data, "course_title", title);
        json_object_update(data, extra);
        /* A decision on several courses names each of them. */
        json_t *slugs = json_object_get(extra, "courses");
        if (json_array_size(slugs) > 1 && application_id) {
            json_t *titles = json_array();
            size_t i;
            json_t *s;
            json_array_foreach(slugs, i, s) {
                json_t *t = course_title(json_object_get(data, "application"), json_string_value(s));
                if (t)
                    json_array_append_new(titles, json_pack("{s:O}", "title", t));
            }
            json_object_set_new(data, "courses", titles);
            json_object_set_new(data, "several", json_true());
        }
        if (!to) {
            to = json_string_value(json_object_get(extra, "email"));
            int l = force >= 0 ? force
                               : lang_parse(json_string_value(json_object_get(extra, "language")));
            if (l >= 0)
                lang = (lang_t)l;
        }
    }
    if (!to || !app_render_mail(c, kind, data, lang, out))
        return false;
    out->reply_to = reply_to;
    out->to_addr = to;
    out->to_name = to_name;
    return true;
}

bool app_message(void *ud, const char *kind, int64_t application_id, json_t *extra,
                 struct message *out)
{
    return message_in(ud, kind, application_id, extra, -1, out);
}

bool app_message_preview(const struct app_ctx *c, const char *kind, int64_t application_id,
                         json_t *extra, lang_t lang, struct message *out)
{
    return message_in(c, kind, application_id, extra, (int)lang, out);
}

void app_batch_id(char batch[20])
{
    unsigned char raw[9];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(batch, 20, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
