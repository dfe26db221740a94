/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Invitations with calendar requests, their updates when the schedule
 * changes, resending a message that failed, and the reminders before each
 * course day (queued by the first mail worker). */
#ifndef AULA_APP_INVITATIONS_H
#define AULA_APP_INVITATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "../store/outbox_store.h"
#include "app.h"

/* Whether the course has a day with a block (nothing to invite to else). */
bool app_course_has_days(json_t *course);

/* The registered participants of the course not invited yet:
 * [{enrolment_id, application_id, ...}] (course_invitees' rows). */
json_t *app_invitations_pending(const char *slug, const char *cslug);
/* The invitations of edition slug whose schedule changed since they were
 * sent, each with its course under "_course"; *programme receives the
 * edition's view (NULL when there is no such edition). */
json_t *app_invitations_outdated(const struct app_ctx *c, const char *slug, json_t **programme);

/* The invitation (update: its update) the person of application app (its
 * JSON; "_enrolment" their enrolment) would receive, drawn in lang with
 * their join link masked as the outbox shows it: for previews. */
bool app_invitation_preview(const struct app_ctx *c, json_t *programme, json_t *course,
                            json_t *app, lang_t lang, bool update, struct message *m);
/* Queues the invitation (update: the update, same UID, next SEQUENCE) of
 * each row (pending or outdated rows) as batch; a row's course is course,
 * else its "_course".  Returns how many were queued; the audit log says so. */
int app_invitations_send(const struct app_ctx *c, json_t *programme, json_t *course, json_t *rows,
                         bool update, const char *batch);

/* Queues a failed message again, once; APP_NOT_FOUND when it is not a
 * failed message (sent meanwhile, queued again by a colleague). */
bool app_outbox_resend(const struct app_ctx *c, int64_t id, struct app_err *err);

/* Queues the reminders that are due (the first mail worker, every tick). */
void app_reminders_tick(const struct app_ctx *c);

#endif
