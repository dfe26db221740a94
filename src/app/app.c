/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The operations' context and errors (see app.h). */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>

/* Written once at start-up, before any thread reads it. */
static struct app_config config;

void app_configure(const struct app_config *cfg)
{
    config = *cfg;
}

const struct app_config *app_config(void)
{
    return &config;
}

bool app_fail(struct app_err *err, app_status kind, const char *key, const char *detail_fmt, ...)
{
    if (!err)
        return false;
    err->kind = kind;
    err->key = key;
    err->detail[0] = '\0';
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(err->detail, sizeof err->detail, detail_fmt, ap);
        va_end(ap);
    }
    return false;
}

struct app_ctx app_ctx_system(arena *a, lang_t lang, const char *actor)
{
    return (struct app_ctx){
        .a = a, .lang = lang, .actor_id = 0, .actor = actor ? actor : "system",
        .now = time(NULL), .cfg = &config,
    };
}
