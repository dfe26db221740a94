/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/attendance_view.c. */
#ifndef AULA_PAGES_ATTENDANCE_VIEW_H
#define AULA_PAGES_ATTENDANCE_VIEW_H

#include "../http/http.h"

json_t *attendance_grid(request *req, const char *edition, const char *course_slug);

#endif
