/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/admin.c. */
#ifndef AULA_PAGES_ADMIN_H
#define AULA_PAGES_ADMIN_H

#include "../http/http.h"

void admin_home(request *req, response *res);
void admin_edition(request *req, response *res);
void admin_edit_form(request *req, response *res);
void admin_edit(request *req, response *res);
void admin_new_form(request *req, response *res);
void admin_create(request *req, response *res);
void admin_delete(request *req, response *res);
void admin_move(request *req, response *res);
void admin_audit(request *req, response *res);
void admin_assign(request *req, response *res);
extern const struct form_spec assign_form;
extern const struct form_spec move_form;

/* Data changed: cached public pages must be rendered again. */
void programme_changed(void);

#endif
