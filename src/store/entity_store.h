/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Generic storage for the items of a programme that the console edits
 * (editions, courses, days, blocks, sessions, topics, people,
 * institutions): one row of one table, ordered among its siblings.
 *
 * The table and column names come from the static declarations in
 * pages/admin_entities.c, never from input; values are always bound. */
#ifndef AULA_ENTITY_STORE_H
#define AULA_ENTITY_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct entity_def {
    const char *kind;       /* "course" */
    const char *table;      /* "course" */
    const char *parent_col; /* "edition_id", or NULL for editions */
    const char *const *columns; /* editable columns, NULL-terminated */
};

enum entity_result { ENTITY_OK, ENTITY_NOT_FOUND, ENTITY_CONFLICT, ENTITY_ERROR };

/* The row as {"id", "parent_id", column: value...}, or NULL. */
json_t *entity_load(const struct entity_def *d, int64_t id);
/* Children of parent_id in order: [{id, columns...}]. */
json_t *entity_children(const struct entity_def *d, int64_t parent_id);
/* values[i] belongs to columns[i]; NULL stores SQL NULL.  A new row goes
 * last among its siblings.  *id receives the new row's id. */
enum entity_result entity_insert(const struct entity_def *d, int64_t parent_id,
                                 const char *const *values, int64_t *id);
enum entity_result entity_update(const struct entity_def *d, int64_t id,
                                 const char *const *values);
enum entity_result entity_delete(const struct entity_def *d, int64_t id);
/* Swaps the row with its previous (dir < 0) or next sibling. */
enum entity_result entity_move(const struct entity_def *d, int64_t id, int dir);
/* The slug of the edition a row belongs to, copied into buf. */
bool entity_edition_slug(const struct entity_def *d, int64_t id, char *buf, size_t n);

#endif
