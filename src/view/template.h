/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A small logic-less template engine: a subset of mustache over jansson
 * values.
 *
 *   {{name}}        the value, HTML-escaped (safe in text and quoted attributes)
 *   {{~name}}       the value, escaped, never wrapped in a fallback marker
 *                   (for <title> and attribute values)
 *   {{%name}}       the value, percent-encoded for a URL component
 *   {{{name}}}      raw output, for HTML the program itself produced
 *   {{#name}}..{{/name}}  a section: once per array item, once with an
 *                   object pushed as context, once for any other truthy value
 *   {{^name}}..{{/name}}  rendered when name is missing, false, null, "" or []
 *   {{>name}}       a partial (another template)
 *   {{t:key}}       the UI string key in the request's language, escaped
 *   {{!...}}        a comment
 *
 * Names are looked up from the innermost context outwards; "a.b" descends
 * into objects and "." is the current item.  A value that is an object with
 * "es"/"en" keys is bilingual text: the request's language is shown, or the
 * other one inside <span lang=".." class="fallback"> when it is missing. */
#ifndef AULA_TEMPLATE_H
#define AULA_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "../base/i18n.h"
#include "../base/strbuf.h"

typedef struct tmpl tmpl;

/* Parses src; on error returns NULL with a message naming the line. */
tmpl *tmpl_parse(const char *src, size_t len, char *err, size_t errlen);
void tmpl_free(tmpl *t);

typedef const tmpl *(*tmpl_partial_fn)(const char *name, void *ud);

void tmpl_render(const tmpl *t, json_t *data, lang_t lang,
                 tmpl_partial_fn partials, void *ud, strbuf *out);

/* The same for plain text (emails): values are written as they are, with
 * no escaping and no fallback marker. */
void tmpl_render_text(const tmpl *t, json_t *data, lang_t lang,
                      tmpl_partial_fn partials, void *ud, strbuf *out);

/* The text of a bilingual value in lang (or the other language); NULL when
 * v is neither a string nor a bilingual object.  *fallback tells whether the
 * other language was used. */
const char *bilingual_text(json_t *v, lang_t lang, int *fallback);

#endif
