/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/me.c. */
#ifndef AULA_PAGES_ME_H
#define AULA_PAGES_ME_H

#include "../http/http.h"

void page_me(request *req, response *res);
void page_register_form(request *req, response *res);
void page_register(request *req, response *res);
void page_withdraw(request *req, response *res);
extern const struct form_spec register_form, withdraw_form;

#endif
