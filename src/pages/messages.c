/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The pages' side of messages: the request's context handed to the one
 * renderer, app/messages.c, which the storage layer calls back inside the
 * transaction that causes a message (see message_fn). */
#include "../app/messages.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "messages.h"

bool aula_message(void *ud, const char *kind, int64_t application_id, json_t *extra,
                  struct message *out)
{
    struct app_ctx c = page_ctx(ud);
    return app_message(&c, kind, application_id, extra, out);
}

bool aula_message_preview(request *req, const char *kind, int64_t application_id, json_t *extra,
                          lang_t lang, struct message *out)
{
    struct app_ctx c = page_ctx(req);
    return app_message_preview(&c, kind, application_id, extra, lang, out);
}
