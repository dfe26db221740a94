/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/attendance.c. */
#ifndef AULA_PAGES_ATTENDANCE_H
#define AULA_PAGES_ATTENDANCE_H

#include "../http/http.h"

void admin_attendance(request *req, response *res);
void admin_attendance_import(request *req, response *res);
void admin_attendance_confirm(request *req, response *res);
void admin_attendance_match(request *req, response *res);
void admin_attendance_unmatch(request *req, response *res);
void admin_attendance_override(request *req, response *res);
void admin_attendance_csv(request *req, response *res);
void admin_attendance_xlsx(request *req, response *res);
void admin_revoke_join_link(request *req, response *res);
extern const struct form_spec revoke_link_form;
void api_attendance(request *req, response *res);

/* The operations of attendance are in ../app/attendance.h. */
extern const struct form_spec attendance_import_form, attendance_confirm_form, attendance_match_form,
    attendance_unmatch_form,
    attendance_override_form, meeting_form;

#endif
