/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Editing the programme (see programme.h). */
#include "programme.h"

#include <stdio.h>
#include <string.h>

#include "../domain/programme.h"
#include "../store/account_store.h"
#include "../store/assignment_store.h"
#include "../store/programme_store.h"

/* The value of column name among values ("" when empty or absent). */
static const char *column(const struct entity_def *def, const char *const *values,
                          const char *name)
{
    for (size_t i = 0; def->columns[i]; i++)
        if (strcmp(def->columns[i], name) == 0)
            return values[i] ? values[i] : "";
    return "";
}

/* Rules that involve two fields; the message key of the one broken, or NULL. */
static const char *cross_check(const struct entity_def *def, const char *const *values)
{
    if (strcmp(def->kind, "block") == 0 &&
        strcmp(column(def, values, "start_local"), column(def, values, "end_local")) >= 0)
        return "error.block_order";
    if (strcmp(def->kind, "edition") == 0 &&
        strcmp(column(def, values, "starts_on"), column(def, values, "ends_on")) > 0)
        return "error.edition_order";
    if (strcmp(def->kind, "edition") == 0) {
        for (const char *p = column(def, values, "reminder_offsets"); *p; p++)
            if (!(*p >= '0' && *p <= '9') && *p != ',')
                return "error.reminder_offsets";
    }
    return NULL;
}

static bool written(enum entity_result r, struct app_err *err)
{
    switch (r) {
    case ENTITY_OK: return true;
    case ENTITY_CONFLICT: return app_fail(err, APP_CONFLICT, "error.conflict", NULL);
    case ENTITY_NOT_FOUND: return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    case ENTITY_ERROR: break;
    }
    return app_fail(err, APP_BUSY, "error.busy", NULL);
}

/* "course:12", the audit log's name of an item. */
static const char *subject_of(const struct app_ctx *ctx, const struct entity_def *def, int64_t id)
{
    return arena_printf(ctx->a, "%s:%lld", def->kind, (long long)id);
}

bool programme_item_create(const struct app_ctx *ctx, const struct entity_def *def,
                           const struct entity_def *parent_def, int64_t parent,
                           const char *const *values, int64_t *id, struct app_err *err)
{
    *id = 0;
    if (parent_def && !entity_load(parent_def, parent))
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    const char *problem = cross_check(def, values);
    if (problem)
        return app_fail(err, APP_INVALID, problem, NULL);
    if (!parent_def)
        parent = 1; /* editions belong to the organisation; one per installation for now */
    if (!written(entity_insert(def, parent, values, id), err))
        return false;
    audit(ctx->actor, "programme.create", subject_of(ctx, def, *id), NULL);
    return true;
}

bool programme_item_update(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                           const char *const *values, struct app_err *err)
{
    if (id <= 0 || !entity_load(def, id))
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    const char *problem = cross_check(def, values);
    if (problem)
        return app_fail(err, APP_INVALID, problem, NULL);
    if (!written(entity_update(def, id, values), err))
        return false;
    audit(ctx->actor, "programme.update", subject_of(ctx, def, id), NULL);
    return true;
}

bool programme_item_delete(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                           char *edition, size_t n, struct app_err *err)
{
    if (id <= 0 || !entity_edition_slug(def, id, edition, n))
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    enum entity_result r = entity_delete(def, id);
    if (r == ENTITY_CONFLICT)
        r = ENTITY_ERROR; /* nothing of a deletion conflicts: the database failed */
    if (!written(r, err))
        return false;
    audit(ctx->actor, "programme.delete", subject_of(ctx, def, id), NULL);
    return true;
}

bool programme_item_move(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                         bool up, char *edition, size_t n, struct app_err *err)
{
    if (id <= 0 || !entity_edition_slug(def, id, edition, n))
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    if (entity_move(def, id, up ? -1 : 1) != ENTITY_OK)
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    audit(ctx->actor, "programme.move", subject_of(ctx, def, id), up ? "up" : "down");
    return true;
}

bool programme_assign(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                      int64_t person, const char *role, bool add, char *edition, size_t n,
                      struct app_err *err)
{
    bool session = strcmp(def->kind, "session") == 0;
    if ((!session && strcmp(def->kind, "course") != 0) || id <= 0 ||
        !entity_edition_slug(def, id, edition, n))
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    if (!role || !*role)
        role = "speaker";
    bool ok = session ? (add ? session_person_add(id, person, role)
                             : session_person_remove(id, person, role))
                      : (add ? course_trainer_add(id, person) : course_trainer_remove(id, person));
    if (!ok)
        return app_fail(err, APP_CONFLICT, "error.assignment", NULL);
    audit(ctx->actor, add ? "programme.assign" : "programme.unassign", subject_of(ctx, def, id),
          arena_printf(ctx->a, "person %lld%s%s", (long long)person, session ? " as " : "",
                       session ? role : ""));
    return true;
}

bool programme_import_check(const struct app_ctx *ctx, json_t *root, const char **why,
                            struct app_err *err)
{
    char path[512], msg[512];
    *why = NULL;
    if (!programme_validate(root, path, sizeof path, msg, sizeof msg)) {
        *why = arena_printf(ctx->a, "%s: %s", path, msg);
        return app_fail(err, APP_INVALID, "programme.invalid", "%s: %s", path, msg);
    }
    return true;
}

bool programme_import(const struct app_ctx *ctx, json_t *root, const char *source,
                      const char **slug, const char **why, struct app_err *err)
{
    *slug = NULL;
    if (!programme_import_check(ctx, root, why, err))
        return false;
    char e[512];
    if (!programme_save(root, e, sizeof e)) {
        *why = arena_strdup(ctx->a, e);
        return app_fail(err, APP_BUSY, "error.busy", "%s", e);
    }
    *slug = json_string_value(json_object_get(json_object_get(root, "edition"), "slug"));
    audit(ctx->actor, "programme.import", *slug, source);
    return true;
}
