/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/settings.c. */
#ifndef AULA_PAGES_SETTINGS_H
#define AULA_PAGES_SETTINGS_H

#include "../http/http.h"

/* The public address and the organisation's logo */
void admin_settings(request *req, response *res);

void admin_settings_address(request *req, response *res);
void admin_settings_logo(request *req, response *res);
void admin_settings_logo_delete(request *req, response *res);
void admin_settings_organisation(request *req, response *res);
void page_logo(request *req, response *res);
extern const struct form_spec settings_address_form, settings_organisation_form;

/* Whether links in messages and certificates would point at this machine
 * (no public address set). */
bool public_address_missing(void);

#endif
