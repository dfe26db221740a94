/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/render.c. */
#ifndef AULA_PAGES_RENDER_H
#define AULA_PAGES_RENDER_H

#include "../http/http.h"

/* A complete HTML page from a template with data, in the request's language,
 * or the same data as JSON when the client asks for it (?format=json or
 * Accept: application/json). */
void res_page(request *req, response *res, int status, const char *template_name, json_t *data);

/* An error page (404, 403, 413, ...) in the visitor's language. */
void res_error(request *req, response *res, int status, const char *message_key);

#endif
