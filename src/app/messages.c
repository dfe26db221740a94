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

/* Whether url is one of the links the message's data holds (see messages.h). */
static bool system_link(json_t *data, const char *url)
{
    const char *key;
    json_t *v;
    json_object_foreach(data, key, v) {
        size_t kl = strlen(key);
        bool link_key = strcmp(key, "link") == 0 ||
                        (kl > 4 && strcmp(key + kl - 4, "_url") == 0);
        if (link_key && json_is_string(v) && strcmp(json_string_value(v), url) == 0)
            return true;
    }
    return false;
}

/* Simple HTML from the text body: paragraphs, and the system's links made
 * clickable. */
const char *app_html_from_text(arena *a, const char *subject, const char *text, json_t *data)
{
    strbuf sb;
    sb_init(&sb, a);
    sb_puts(&sb, "<!doctype html><html><body style=\"font-family:Arial,sans-serif;"
                 "font-size:15px;line-height:1.5;color:#1b1f24\"><h1 style=\"font-size:19px\">");
    esc_html_text(&sb, subject);
    sb_puts(&sb, "</h1><p>");
    const char *p = text;
    while (*p) {
        if (p[0] == '\n' && p[1] == '\n') {
            sb_puts(&sb, "</p><p>");
            while (*p == '\n')
                p++;
            continue;
        }
        if (*p == '\n') {
            sb_puts(&sb, "<br>");
            p++;
            continue;
        }
        if (strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0) {
            size_t n = strcspn(p, " \n\t<>\"");
            char *url = arena_strndup(a, p, n);
            if (!url)
                break;
            /* A URL someone typed (in their name, say) is shown, never
             * offered as a link in a message that comes from us. */
            bool ours = system_link(data, url);
            if (ours) {
                sb_puts(&sb, "<a href=\"");
                esc_html_attr(&sb, url);
                sb_puts(&sb, "\">");
            }
            esc_html_text(&sb, url);
            if (ours)
                sb_puts(&sb, "</a>");
            p += n;
            continue;
        }
        size_t n = strcspn(p, "\nh");
        if (n == 0)
            n = 1;
        char *chunk = arena_strndup(a, p, n);
        if (!chunk)
            break;
        esc_html_text(&sb, chunk);
        p += n;
    }
    sb_puts(&sb, "</p></body></html>");
    return sb_str(&sb);
}

bool app_render_mail(const struct app_ctx *c, const char *name, json_t *data, lang_t lang,
                     struct message *m)
{
    char file[96];
    snprintf(file, sizeof file, "mail_%s.%s.txt", name, lang_code(lang));
    /* "decision.accepted" is mail_decision_accepted.*: only the name's dots. */
    for (char *p = file + 5; *p && p < file + 5 + strlen(name); p++)
        if (*p == '.')
            *p = '_';
    strbuf sb;
    sb_init(&sb, c->a);
    if (!view_render_text(file, data, lang, &sb))
        return false;
    const char *text = sb_str(&sb), *nl = strchr(text, '\n');
    if (strncmp(text, "Subject: ", 9) != 0 || !nl)
        return false;
    m->subject = arena_strndup(c->a, text + 9, (size_t)(nl - text - 9));
    while (*nl == '\n')
        nl++;
    m->body_text = nl;
    m->body_html = app_html_from_text(c->a, m->subject, nl, data);
    m->language = lang_code(lang);
    /* A link's token ("secret" in the data) is kept out of the stored text;
     * a message drawn in an exhausted arena may be cut short: none is
     * queued rather than a truncated one. */
    m->secret = json_string_value(json_object_get(data, "secret"));
    return !arena_exhausted(c->a);
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
