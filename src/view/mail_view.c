/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Messages from their templates (see mail_view.h). */
#include "mail_view.h"

#include <stdio.h>
#include <string.h>

#include "../base/escape.h"
#include "../base/strbuf.h"
#include "views.h"

/* Whether url is one of the links the message's data holds. */
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
const char *mail_view_html(arena *a, const char *subject, const char *text, json_t *data)
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

bool mail_view_render(arena *a, const char *name, json_t *data, lang_t lang,
                      struct mail_text *out)
{
    char file[96];
    snprintf(file, sizeof file, "mail_%s.%s.txt", name, lang_code(lang));
    strbuf sb;
    sb_init(&sb, a);
    if (!view_render_text(file, data, lang, &sb))
        return false;
    const char *text = sb_str(&sb), *nl = strchr(text, '\n');
    if (strncmp(text, "Subject: ", 9) != 0 || !nl)
        return false;
    out->subject = arena_strndup(a, text + 9, (size_t)(nl - text - 9));
    while (*nl == '\n')
        nl++;
    out->body_text = nl;
    out->body_html = mail_view_html(a, out->subject, nl, data);
    /* Never a truncated message. */
    return out->subject && out->body_html && !arena_exhausted(a);
}
