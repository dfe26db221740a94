/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/auth.c. */
#ifndef AULA_PAGES_AUTH_H
#define AULA_PAGES_AUTH_H

#include "../http/http.h"

void page_login_form(request *req, response *res);
void page_login(request *req, response *res);
void page_logout(request *req, response *res);
void authenticate(request *req);
extern const struct form_spec login_form;

/* Sign-in links */
void page_login_link(request *req, response *res);

void page_login_link_use(request *req, response *res);

#endif
