/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/apply.c. */
#ifndef AULA_PAGES_APPLY_H
#define AULA_PAGES_APPLY_H

#include "../http/http.h"

void apply_init(void);
void page_apply_form(request *req, response *res);
void page_apply(request *req, response *res);
void page_apply_done(request *req, response *res);
extern const struct form_spec apply_form;

#endif
