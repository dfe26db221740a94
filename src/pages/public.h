/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/public.c. */
#ifndef AULA_PAGES_PUBLIC_H
#define AULA_PAGES_PUBLIC_H

#include "../http/http.h"

void page_home(request *req, response *res);
void page_event(request *req, response *res);
void page_agenda(request *req, response *res);
void page_course(request *req, response *res);
void page_speakers(request *req, response *res);
void page_healthz(request *req, response *res);
void page_static(request *req, response *res);
void page_favicon(request *req, response *res);

#endif
