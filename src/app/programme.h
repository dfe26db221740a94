/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Editing the programme: creating, changing, deleting and reordering its
 * items (editions, courses, days, blocks, sessions, ...), assigning people
 * to sessions and courses, and importing a whole edition from JSON (`aula
 * import`).  Each change is audited as the person acting.  Pages that
 * cache what the programme shows drop their copies after a change; that is
 * theirs to do (the operations do not know about pages). */
#ifndef AULA_APP_PROGRAMME_H
#define AULA_APP_PROGRAMME_H

#include <jansson.h>

#include "../store/entity_store.h"
#include "app.h"

/* values[i] is def->columns[i]'s (NULL: empty).  parent_def is the kind of
 * the parent (NULL for editions, which belong to the organisation); *id
 * receives the new item's.  Refusals: APP_NOT_FOUND "error.not_found" (no
 * such parent), APP_INVALID "error.block_order", "error.edition_order",
 * "error.reminder_offsets" (rules that involve two fields), APP_CONFLICT
 * "error.conflict" (a slug or position taken), APP_BUSY "error.busy". */
bool programme_item_create(const struct app_ctx *ctx, const struct entity_def *def,
                           const struct entity_def *parent_def, int64_t parent,
                           const char *const *values, int64_t *id, struct app_err *err);

/* Changes item id's columns; refusals as programme_item_create. */
bool programme_item_update(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                           const char *const *values, struct app_err *err);

/* Deletes item id (and what hangs from it); the slug of its edition goes
 * to edition (n bytes).  APP_NOT_FOUND "error.not_found", APP_BUSY. */
bool programme_item_delete(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                           char *edition, size_t n, struct app_err *err);

/* Moves item id before its previous sibling (up) or after its next. */
bool programme_item_move(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                         bool up, char *edition, size_t n, struct app_err *err);

/* Adds (or removes) person to a session in role ("speaker", "moderator",
 * ...) when def is the session kind, or as a trainer of a course when it
 * is the course kind.  APP_NOT_FOUND "error.not_found" (another kind, or
 * no such item), APP_CONFLICT "error.assignment" (already there, or not
 * there to remove). */
bool programme_assign(const struct app_ctx *ctx, const struct entity_def *def, int64_t id,
                      int64_t person, const char *role, bool add, char *edition, size_t n,
                      struct app_err *err);

/* Checks a programme file without storing anything (needs no database):
 * false with APP_INVALID "programme.invalid" and *why as below. */
bool programme_import_check(const struct app_ctx *ctx, json_t *root, const char **why,
                            struct app_err *err);

/* Checks and stores a whole edition as a programme file describes it
 * (`aula import`), replacing the stored one of the same slug; source names
 * the file for the audit log.  The edition's slug goes to *slug.  Refusals:
 * APP_INVALID "programme.invalid" (the file breaks a rule: *why says where
 * and which), APP_BUSY "error.busy" (*why says what the database said). */
bool programme_import(const struct app_ctx *ctx, json_t *root, const char *source,
                      const char **slug, const char **why, struct app_err *err);

#endif
