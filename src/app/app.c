/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The operations' context and errors (see app.h). */
#include "app.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "../store/settings_store.h"

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

/* The listening address, written once at start-up. */
static char listen_origin[128];

/* The address an administrator set in the console, read by every worker:
 * each one set stays allocated (a handful in a server's life), so a worker
 * never reads a string being replaced. */
struct origin_note {
    struct origin_note *prev;
    char s[128];
};
static _Atomic(struct origin_note *) public_origin;

const char *app_origin(void)
{
    if (config.base_url && *config.base_url)
        return config.base_url;
    struct origin_note *p = atomic_load(&public_origin);
    return p ? p->s : listen_origin;
}

void app_set_public_origin(const char *o)
{
    struct origin_note *n = calloc(1, sizeof *n);
    if (!n)
        return;
    snprintf(n->s, sizeof n->s, "%s", o);
    n->prev = atomic_load(&public_origin);
    atomic_store(&public_origin, n);
}

void app_origin_start(const char *listen)
{
    snprintf(listen_origin, sizeof listen_origin, "%s", listen ? listen : "");
    if (config.base_url && *config.base_url)
        return;
    arena *a = arena_new(1 << 16);
    const char *stored = a ? setting_get(a, "base_url") : NULL;
    if (stored && *stored)
        app_set_public_origin(stored);
    arena_free(a);
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
