/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The console's navigation: the same bar on every console page, with the
 * sections a role may use and the current one marked. */
#ifndef AULA_CONSOLE_NAV_H
#define AULA_CONSOLE_NAV_H

#include <jansson.h>

#include "../http/http.h"

/* [{href, label: {es, en}, current}] for the signed-in staff member, or
 * NULL outside the console. */
json_t *console_nav(request *req);

#endif
