/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/people_names.c. */
#ifndef AULA_PAGES_PEOPLE_NAMES_H
#define AULA_PAGES_PEOPLE_NAMES_H

#include "../http/http.h"

json_t *sort_by_label(json_t *arr);

#endif
