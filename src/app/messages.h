/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Every message Aula sends is drawn here, from templates/mail_KIND.LANG.txt:
 * the first line is the subject ("Subject: ..."), the rest the body, and a
 * simple HTML alternative is made from the text.  The storage layer queues
 * them inside the transaction that causes them (see message_fn). */
#ifndef AULA_APP_MESSAGES_H
#define AULA_APP_MESSAGES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../store/outbox_store.h"
#include "app.h"

/* The public address links start with ("https://aula.example.org"): the
 * context's, else the installation's (app_origin). */
const char *app_ctx_origin(const struct app_ctx *c);


/* Renders templates/mail_NAME.LANG.txt with data into m (subject, text,
 * HTML, language, and data's "secret" as the message's secret).  False
 * when the template is missing or the arena ran out: never a truncated
 * message. */
bool app_render_mail(const struct app_ctx *c, const char *name, json_t *data, lang_t lang,
                     struct message *m);

/* The storage layer's message_fn: ud is the struct app_ctx of the operation.
 * kind "decision.accepted" reads templates/mail_decision_accepted.*; the
 * recipient is the application's (its language too), else extra's "email"
 * and "language"; extra's values are added to the template's data. */
bool app_message(void *ud, const char *kind, int64_t application_id, json_t *extra,
                 struct message *out);
/* The same message drawn in lang instead of the recipient's (previews). */
bool app_message_preview(const struct app_ctx *c, const char *kind, int64_t application_id,
                         json_t *extra, lang_t lang, struct message *out);

/* A new batch name for the messages of one bulk sending (its progress page
 * is /admin/batches/BATCH). */
void app_batch_id(char batch[20]);

#endif
