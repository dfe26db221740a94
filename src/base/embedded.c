/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "embedded.h"

#include <stdlib.h>
#include <string.h>

static int cmp(const void *k, const void *e)
{
    return strcmp(k, ((const struct embedded_file *)e)->name);
}

const struct embedded_file *embedded_find(const struct embedded_file *table,
                                          size_t count, const char *name)
{
    return bsearch(name, table, count, sizeof *table, cmp);
}
