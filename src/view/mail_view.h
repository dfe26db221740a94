/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Messages drawn from templates/mail_NAME.LANG.txt: the first line is the
 * subject ("Subject: ..."), the rest the body; the HTML alternative is made
 * from the text.  For the pages and for the operations of src/app/ alike. */
#ifndef AULA_MAIL_VIEW_H
#define AULA_MAIL_VIEW_H

#include <jansson.h>
#include <stdbool.h>

#include "../base/arena.h"
#include "../base/i18n.h"

struct mail_text {
    const char *subject, *body_text, *body_html;
};

/* Renders the message name in lang with data, everything in a; false when
 * the template is missing or malformed, or a ran out. */
bool mail_view_render(arena *a, const char *name, json_t *data, lang_t lang,
                      struct mail_text *out);

/* A simple HTML alternative of a text message.  Only the links Aula itself
 * put in the message become <a>: a URL is linked when it equals a string
 * of data (the template's values) named "link" or ending in "_url"; a URL
 * inside a name or other text someone typed stays plain text. */
const char *mail_view_html(arena *a, const char *subject, const char *text, json_t *data);

#endif
