/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "signin_link.h"

#include <string.h>

bool signin_link_live(const char *expires_at, const char *now)
{
    return expires_at && now && strcmp(expires_at, now) > 0;
}
