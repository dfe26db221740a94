/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the console can edit: each kind of programme item with its table,
 * its parent, and its declared fields (name = column, validator). */
#ifndef AULA_ADMIN_ENTITIES_H
#define AULA_ADMIN_ENTITIES_H

#include "../http/form.h"
#include "../store/entity_store.h"

struct admin_entity {
    struct entity_def def;
    const char *parent_kind;  /* NULL for editions */
    struct form_spec form;    /* one field per column, same order */
};

/* The entity called kind ("course", "session", ...), or NULL. */
const struct admin_entity *admin_entity(const char *kind);

#endif
