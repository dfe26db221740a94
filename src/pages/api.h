/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/api.c. */
#ifndef AULA_PAGES_API_H
#define AULA_PAGES_API_H

#include "../http/http.h"

void api_events(request *req, response *res);
void api_event(request *req, response *res);
void api_applications(request *req, response *res);
void api_decision(request *req, response *res);

#endif
