/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Files compiled into the binary (templates, static assets, migrations). */
#ifndef AULA_EMBEDDED_H
#define AULA_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};

extern const struct embedded_file embedded_templates[], embedded_static[],
    embedded_migrations[];
extern const size_t embedded_templates_count, embedded_static_count,
    embedded_migrations_count;

/* The file called name in a table (sorted by name), or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *table,
                                          size_t count, const char *name);

#endif
