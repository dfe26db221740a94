/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/certificates.c. */
#ifndef AULA_PAGES_CERTIFICATES_H
#define AULA_PAGES_CERTIFICATES_H

#include "../http/http.h"

void admin_certificates(request *req, response *res);
void admin_certificates_issue(request *req, response *res);
void admin_certificates_preview(request *req, response *res);
void admin_certificates_grant(request *req, response *res);
void admin_certificates_revoke(request *req, response *res);
void page_verify(request *req, response *res);
void page_verify_lookup(request *req, response *res);
void page_keys(request *req, response *res);
void page_certificate_file(request *req, response *res);
void api_certificates(request *req, response *res);
extern const struct form_spec certificate_issue_form, certificate_grant_form,
    certificate_revoke_form;

#endif
