/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "local_path.h"

bool local_path_ok(const char *next)
{
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
        return false;
    for (const unsigned char *p = (const unsigned char *)next; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

const char *local_path_or(const char *next, const char *fallback)
{
    return local_path_ok(next) ? next : fallback;
}
