/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/admin_applications.c. */
#ifndef AULA_PAGES_ADMIN_APPLICATIONS_H
#define AULA_PAGES_ADMIN_APPLICATIONS_H

#include "../http/http.h"

void admin_applications(request *req, response *res);
void admin_application(request *req, response *res);
void admin_decide(request *req, response *res);
void admin_applications_csv(request *req, response *res);
void admin_applications_xlsx(request *req, response *res);
void admin_outbox(request *req, response *res);
extern const struct form_spec decide_form;

#endif
