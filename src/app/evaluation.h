/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation's mailings (invitations and reminders, see ARCHITECTURE.md,
 * "Evaluation") and what the pages share with them: the hash of a personal
 * link and an opening time in the edition's zone. */
#ifndef AULA_APP_EVALUATION_H
#define AULA_APP_EVALUATION_H

#include <jansson.h>

#include "app.h"

/* The hash kept for a personal link's token (hex SHA-256), in a. */
const char *evaluation_link_hash(arena *a, const char *token);

/* A UTC time of questionnaire q (utc_key: "opens_at", "closes_at") as the
 * edition's local time with its city, "2022-04-07 09:00 (Caracas)"; the
 * UTC text itself when it cannot be read. */
const char *evaluation_local_label(arena *a, json_t *q, const char *utc_key);

/* Queues what is due at c->now for each open questionnaire: the invitation
 * once it opens (and to whoever joins the audience in its first 30 days),
 * then each reminder day once, to those who have not answered, at most two
 * reminders and never within a day of the previous mailing.  Links begin
 * with origin.  Returns how many messages were queued.  JSON values live in
 * the arena that is current (the caller sets c->a current). */
int evaluation_mail_due(struct app_ctx *c, const char *origin);

/* A reminder by hand to those of questionnaire qid's audience who have not
 * answered; *queued says to how many.  Fails APP_NOT_FOUND, or APP_CONFLICT
 * (eval.err.two_reminders) once two reminders went. */
bool evaluation_mail_reminder(struct app_ctx *c, int64_t qid, const char *origin, int *queued,
                              struct app_err *err);

#endif
