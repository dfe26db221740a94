/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/people.c. */
#ifndef AULA_PAGES_PEOPLE_H
#define AULA_PAGES_PEOPLE_H

#include "../http/http.h"

/* Staff accounts in the console, setting a password by link */
void admin_people(request *req, response *res);

void admin_people_add(request *req, response *res);
void admin_people_role(request *req, response *res);
void admin_people_active(request *req, response *res);
void admin_people_link(request *req, response *res);
void page_password_form(request *req, response *res);
void page_password_set(request *req, response *res);
extern const struct form_spec people_add_form, people_role_form, people_active_form,
    people_link_form, password_form;

#endif
