/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Settings an administrator changes in the console, stored in the database:
 * site_setting holds "base_url" (the public address, used when the
 * configuration names none), site_file small files such as "logo" (the
 * organisation's logo), so that a backup holds them too. */
#ifndef AULA_SETTINGS_STORE_H
#define AULA_SETTINGS_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/arena.h"

/* The value of name, copied into a, or NULL when it is not set. */
const char *setting_get(arena *a, const char *name);
/* Sets (or with value NULL removes) name, and records it in the audit log
 * with detail (NULL: the value itself). */
bool setting_set(const char *actor, const char *name, const char *value, const char *detail);

struct site_file {
    const char *content_type;
    const char *sha256; /* hex */
    const unsigned char *data;
    size_t len;
};
/* The file name, copied into a; false when there is none.  With data
 * false only its type and hash are read. */
bool site_file_get(arena *a, const char *name, bool data, struct site_file *out);
/* Stores (or with f NULL removes) the file name, with an audit entry. */
bool site_file_set(const char *actor, const char *name, const struct site_file *f);

/* The organisation the site belongs to (the first one stored, as the
 * programme import makes it): names copied into a; false when none. */
bool organisation_get(arena *a, const char **name_es, const char **name_en,
                      const char **short_name);
/* Renames it (or creates it when there is none yet), with an audit entry;
 * name_en and short_name may be "" (none). */
bool organisation_set(const char *actor, const char *name_es, const char *name_en,
                      const char *short_name);

#endif
