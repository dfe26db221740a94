/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/meetings.c. */
#ifndef AULA_PAGES_MEETINGS_H
#define AULA_PAGES_MEETINGS_H

#include "../http/http.h"

void admin_meetings(request *req, response *res);
void admin_meeting_save(request *req, response *res);
void page_join(request *req, response *res);
void me_course_extras(request *req, json_t *app, json_t *enrolment);

#endif
