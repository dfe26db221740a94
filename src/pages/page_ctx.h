/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Pages are adapters: a request's validated input in, one operation of
 * src/app/ called with the context drawn from the request, a page out. */
#ifndef AULA_PAGE_CTX_H
#define AULA_PAGE_CTX_H

#include "../app/app.h"
#include "../http/http.h"

/* The operation's context for this request: its arena, language and
 * signed-in person, the time now, the installation's configuration. */
struct app_ctx page_ctx(request *req);

/* The HTTP status that answers an operation's failure of this kind. */
int page_status_of(app_status kind);

#endif
