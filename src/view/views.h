/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The templates under templates/, parsed once at start-up. */
#ifndef AULA_VIEWS_H
#define AULA_VIEWS_H

#include <stdbool.h>
#include <stddef.h>

#include "template.h"

/* Parses every embedded template; false (with the file and line in err)
 * when one is malformed. */
bool views_init(char *err, size_t errlen);
void views_free(void);
/* The parsed template "name.html" (or "name" when it has an extension),
 * or NULL. */
const tmpl *view_get(const char *name);
/* Renders template name with data; false when there is no such template. */
bool view_render(const char *name, json_t *data, lang_t lang, strbuf *out);

/* Renders a plain-text template (a file name with its extension). */
bool view_render_text(const char *file, json_t *data, lang_t lang, strbuf *out);

#endif
