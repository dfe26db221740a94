/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/invitations.c. */
#ifndef AULA_PAGES_INVITATIONS_H
#define AULA_PAGES_INVITATIONS_H

#include "../http/http.h"

void admin_send_invitations(request *req, response *res);
void admin_invitations_preview(request *req, response *res);
extern const struct form_spec invitations_form;
void admin_batch(request *req, response *res);
void admin_resend(request *req, response *res);
extern const struct form_spec resend_form;

/* Sends calendar updates to everyone whose course schedule changed. */
/* How many invitations of the edition a schedule change left out of date
 * (their updates are sent from the confirmation at invitation-updates). */
int invitations_outdated(request *req, const char *slug);

/* The same for one course of the edition (its slug). */
int invitations_outdated_in(request *req, const char *slug, const char *course);

void admin_updates_preview(request *req, response *res);
void admin_send_updates(request *req, response *res);

#endif
