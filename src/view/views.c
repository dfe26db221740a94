/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/embedded.h"

static tmpl **parsed;

bool views_init(char *err, size_t errlen)
{
    parsed = calloc(embedded_templates_count + 1, sizeof *parsed);
    if (!parsed)
        return false;
    for (size_t i = 0; i < embedded_templates_count; i++) {
        const struct embedded_file *f = &embedded_templates[i];
        char msg[200];
        parsed[i] = tmpl_parse((const char *)f->data, f->len, msg, sizeof msg);
        if (!parsed[i]) {
            snprintf(err, errlen, "templates/%s: %s", f->name, msg);
            return false;
        }
    }
    return true;
}

void views_free(void)
{
    if (!parsed)
        return;
    for (size_t i = 0; i < embedded_templates_count; i++)
        tmpl_free(parsed[i]);
    free(parsed);
    parsed = NULL;
}

const tmpl *view_get(const char *name)
{
    char file[128];
    snprintf(file, sizeof file, "%s%s", name, strchr(name, '.') ? "" : ".html");
    const struct embedded_file *f =
        embedded_find(embedded_templates, embedded_templates_count, file);
    return f && parsed ? parsed[f - embedded_templates] : NULL;
}

static const tmpl *partial(const char *name, void *ud)
{
    (void)ud;
    return view_get(name);
}

bool view_render(const char *name, json_t *data, lang_t lang, strbuf *out)
{
    const tmpl *t = view_get(name);
    if (!t)
        return false;
    tmpl_render(t, data, lang, partial, NULL, out);
    return true;
}

bool view_render_text(const char *file, json_t *data, lang_t lang, strbuf *out)
{
    const tmpl *t = view_get(file);
    if (!t)
        return false;
    tmpl_render_text(t, data, lang, partial, NULL, out);
    return true;
}
