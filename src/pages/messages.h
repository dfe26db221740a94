/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The handlers and helpers of pages/messages.c. */
#ifndef AULA_PAGES_MESSAGES_H
#define AULA_PAGES_MESSAGES_H

#include "../http/http.h"

struct message;

/* The storage layer's message_fn for pages (ud is the request),
 * drawn by app/messages.c. */
bool aula_message(void *ud, const char *kind, int64_t application_id, json_t *extra,
                  struct message *out);

/* The same message drawn in lang instead of the recipient's (previews). */
bool aula_message_preview(request *req, const char *kind, int64_t application_id, json_t *extra,
                          lang_t lang, struct message *out);

#endif
