/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/verify_upload.c. */
#ifndef AULA_PAGES_VERIFY_UPLOAD_H
#define AULA_PAGES_VERIFY_UPLOAD_H

#include "../http/http.h"

void page_verify_upload(request *req, response *res);
void page_signing_certificates(request *req, response *res);

#endif
