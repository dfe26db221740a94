/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/calendar.c. */
#ifndef AULA_PAGES_CALENDAR_H
#define AULA_PAGES_CALENDAR_H

#include "../http/http.h"

void page_event_ics(request *req, response *res);
void page_course_ics(request *req, response *res);

#endif
