/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The route table: every page of Aula, with its access level and fields. */
#ifndef AULA_PAGES_ROUTES_H
#define AULA_PAGES_ROUTES_H

#include "../http/server.h"

extern const struct server_app aula_app;

#endif
