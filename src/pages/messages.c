/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The messages Aula queues, rendered from templates/mail_KIND.LANG.txt in
 * the candidate's language.  The first line of a template is the subject
 * ("Subject: ..."), the rest the body.  Called by the storage layer inside
 * the transaction that causes the message (see message_fn). */
#include <stdio.h>
#include <string.h>

#include "../base/escape.h"
#include "../store/application_store.h"
#include "../view/mail_view.h"
#include "../view/views.h"
#include "pages.h"

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

/* The HTML alternative (see view/mail_view.h). */
const char *html_from_text(request *req, const char *subject, const char *text, json_t *data)
{
    return mail_view_html(req->a, subject, text, data);
}

/* force: a language to draw the message in instead of the recipient's
 * (previews), or -1. */
static bool message_in(void *ud, const char *kind, int64_t application_id, json_t *extra,
                       int force, struct message *out)
{
    request *req = ud;
    json_t *data = json_object();
    lang_t lang = req->lang;
    const char *to = NULL, *to_name = NULL, *reply_to = NULL;
    if (application_id) {
        json_t *app = application_load(application_id);
        if (!app)
            return false;
        lang = lang_parse(json_string_value(json_object_get(app, "language"))) == LANG_EN
                   ? LANG_EN : LANG_ES;
        if (force >= 0)
            lang = (lang_t)force;
        to = json_string_value(json_object_get(app, "email"));
        to_name = arena_printf(req->a, "%s %s",
                               json_string_value(json_object_get(app, "given_names")),
                               json_string_value(json_object_get(app, "family_names")));
        json_object_set_new(data, "name", json_string(full_name(req->a, lang, app)));
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
        json_object_set_new(data, "me_url", json_sprintf("%s/me", server_origin()));
        json_object_set_new(data, "register_url",
                            json_sprintf("%s/me/applications/%lld/register", server_origin(),
                                         (long long)application_id));
        json_object_set_new(data, "edition_url",
                            json_sprintf("%s/events/%s", server_origin(), edition));
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
    if (!to)
        return false;
    char file[96];
    snprintf(file, sizeof file, "mail_%s.%s.txt", kind, lang_code(lang));
    for (char *p = file + 5; *p && p < file + 5 + strlen(kind); p++)
        if (*p == '.')
            *p = '_';
    strbuf sb;
    sb_init(&sb, req->a);
    if (!view_render_text(file, data, lang, &sb))
        return false;
    const char *text = sb_str(&sb);
    const char *nl = strchr(text, '\n');
    if (strncmp(text, "Subject: ", 9) != 0 || !nl)
        return false;
    out->subject = arena_strndup(req->a, text + 9, (size_t)(nl - text - 9));
    const char *body = nl + 1;
    while (*body == '\n')
        body++;
    out->body_text = body;
    out->body_html = html_from_text(req, out->subject, body, data);
    out->reply_to = reply_to;
    out->to_addr = to;
    out->to_name = to_name;
    out->language = lang_code(lang);
    /* A link's token ("secret" in the data) is kept out of the stored text;
     * a message drawn in an exhausted arena may be cut short: none is
     * queued rather than a truncated one. */
    out->secret = json_string_value(json_object_get(data, "secret"));
    return !arena_exhausted(req->a);
}

bool aula_message(void *ud, const char *kind, int64_t application_id, json_t *extra,
                  struct message *out)
{
    return message_in(ud, kind, application_id, extra, -1, out);
}

bool aula_message_preview(request *req, const char *kind, int64_t application_id, json_t *extra,
                          lang_t lang, struct message *out)
{
    return message_in(req, kind, application_id, extra, (int)lang, out);
}
